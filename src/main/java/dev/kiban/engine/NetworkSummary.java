package dev.kiban.engine;

import java.util.List;
import java.util.Map;

/** A network as the engine describes it, with the subnets of its IPAM configuration. */
public record NetworkSummary(String id, String name, String driver, String scope, List<String> subnets, boolean ingress,
                             int containers, Map<String, String> labels) {}
