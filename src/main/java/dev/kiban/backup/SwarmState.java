package dev.kiban.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.kiban.engine.Engine;
import dev.kiban.engine.NetworkSummary;
import dev.kiban.engine.Networks;
import dev.kiban.engine.NodeSummary;
import dev.kiban.engine.ServiceSummary;
import dev.kiban.engine.Swarm;
import dev.kiban.engine.SwarmObject;
import dev.kiban.engine.SwarmSettings;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The Swarm's own state as a backup source (R5.1, D5): configs with their data; secrets by name, labels
 * and the services that use them, because the engine never returns a secret's data; the nodes; the
 * swarm-scoped networks with their subnets; the cluster's address pool. One JSON document, saved again
 * only when it changed.
 */
public record SwarmState(Cluster cluster, List<Config> configs, List<Secret> secrets, List<Node> nodes,
        List<Network> networks) {
    public static final String SOURCE = "swarm";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    public record Cluster(List<String> defaultAddrPool, int subnetSize, int dataPathPort) {}

    public record Config(String name, Map<String, String> labels, String data, List<String> usedBy) {
        public byte[] bytes() {
            return Base64.getDecoder().decode(data);
        }
    }

    public record Secret(String name, Map<String, String> labels, List<String> usedBy) {}

    public record Node(String hostname, String role, String availability, String address) {}

    public record Network(String name, String driver, List<String> subnets, boolean ingress,
            Map<String, String> labels) {}

    /** The state of the Swarm this engine manages; empty when it is not a manager. */
    public static Optional<SwarmState> read(Engine engine) {
        return read(engine, engine);
    }

    /** The state of the Swarm {@code engine} manages, with its swarm-scoped {@code networks}; empty off a manager. */
    public static Optional<SwarmState> read(Swarm engine, Networks networks) {
        SwarmSettings swarm = engine.swarm();
        if (!swarm.manager()) return Optional.empty();
        List<ServiceSummary> services = engine.services(Map.of());
        List<Config> configs = new ArrayList<>();
        for (SwarmObject c : engine.configs()) {
            configs.add(new Config(c.name(), new TreeMap<>(c.labels()), Base64.getEncoder().encodeToString(c.data()),
                    services.stream().filter(s -> s.configs().contains(c.name())).map(ServiceSummary::name)
                    .sorted().toList()));
        }
        List<Secret> secrets = new ArrayList<>();
        for (SwarmObject s : engine.secrets()) {
            secrets.add(new Secret(s.name(), new TreeMap<>(s.labels()),
                    services.stream().filter(v -> v.secrets().contains(s.name())).map(ServiceSummary::name)
                    .sorted().toList()));
        }
        List<Node> nodes = new ArrayList<>();
        for (NodeSummary n : engine.nodes()) nodes.add(new Node(n.hostname(), n.role(), n.availability(), n.address()));
        List<Network> swarmNetworks = new ArrayList<>();
        for (NetworkSummary n : networks.networks()) {
            if (n.scope().equals("swarm")) {
                swarmNetworks.add(new Network(n.name(), n.driver(), n.subnets(), n.ingress(),
                        new TreeMap<>(n.labels())));
            }
        }
        configs.sort(java.util.Comparator.comparing(Config::name));
        secrets.sort(java.util.Comparator.comparing(Secret::name));
        nodes.sort(java.util.Comparator.comparing(Node::hostname));
        swarmNetworks.sort(java.util.Comparator.comparing(Network::name));
        Cluster cluster = new Cluster(swarm.defaultAddrPool(), swarm.subnetSize(), swarm.dataPathPort());
        return Optional.of(new SwarmState(cluster, configs, secrets, nodes, swarmNetworks));
    }

    public byte[] toJson() {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static SwarmState parse(InputStream in) throws IOException {
        return JSON.readValue(in, SwarmState.class);
    }

    /** The backup source: keyed by the document's hash, so an unchanged Swarm is not stored again. */
    public BackupRepository.StreamSource source() {
        byte[] json = toJson();
        return new BackupRepository.StreamSource(SOURCE, "sha256:" + ChunkStore.sha256(json, json.length),
                () -> new ByteArrayInputStream(json),
                Map.of("configs", String.valueOf(configs.size()), "secrets", String.valueOf(secrets.size()), "nodes",
                        String.valueOf(nodes.size()), "networks", String.valueOf(networks.size())));
    }

    /** What the report says about secrets (D5). */
    public Optional<String> secretsNote() {
        if (secrets.isEmpty()) return Optional.empty();
        return Optional.of("swarm: " + secrets.size() + " secret" + (secrets.size() == 1 ? "" : "s")
                + " recorded by name, labels and users only ("
                + String.join(", ", secrets.stream().map(Secret::name).toList())
                + "); the engine never returns a secret's data, so keep "
                + "their values in your own secret store to recreate them");
    }

    /** What a restore would do on an engine: configs to create, configs that exist, secrets to recreate by hand. */
    public record RestorePlan(List<Config> create, List<String> existing, List<Secret> recreateByHand) {}

    public RestorePlan plan(Swarm engine) {
        java.util.Set<String> present = new java.util.HashSet<>(engine.configs().stream().map(SwarmObject::name)
                .toList());
        java.util.Set<String> secretsPresent = new java.util.HashSet<>(engine.secrets().stream().map(SwarmObject::name)
                .toList());
        return new RestorePlan(configs.stream().filter(c -> !present.contains(c.name())).toList(),
                configs.stream().map(Config::name).filter(present::contains).toList(),
                secrets.stream().filter(s -> !secretsPresent.contains(s.name())).toList());
    }
}
