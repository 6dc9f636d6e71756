package dev.kiban.engine;

import static dev.kiban.engine.ContainerJson.strings;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** The engine's JSON about the Swarm (services, tasks, nodes, configs, secrets), read into kiban's types. */
final class SwarmJson {
    private SwarmJson() {
    }

    static ServiceSummary service(JsonNode svc) {
        JsonNode spec = svc.path("Spec");
        boolean global = spec.path("Mode").has("Global");
        JsonNode container = spec.path("TaskTemplate").path("ContainerSpec");
        List<String> secrets = new ArrayList<>();
        container.path("Secrets").forEach(x -> secrets.add(x.path("SecretName").asText()));
        List<String> configs = new ArrayList<>();
        container.path("Configs").forEach(x -> configs.add(x.path("ConfigName").asText()));
        return new ServiceSummary(svc.path("ID").asText(), spec.path("Name").asText(),
                container.path("Image").asText(),
                global, spec.path("Mode").path("Replicated").path("Replicas").asInt(global ? 0 : 1),
                strings(spec.path("Labels")), secrets, configs,
                new ServiceSummary.Update(svc.path("UpdateStatus").path("State").asText(""),
                        svc.path("UpdateStatus").path("Message").asText(""),
                        svc.path("UpdateStatus").path("StartedAt").asText("")));
    }

    /** A service of {@code /services?status=true}: its running and desired task counts. */
    static ServiceReplicas replicas(JsonNode svc) {
        JsonNode status = svc.path("ServiceStatus");
        return new ServiceReplicas(svc.path("ID").asText(), svc.path("Spec").path("Name").asText(),
                status.path("RunningTasks").asInt(), status.path("DesiredTasks").asInt());
    }

    static TaskSummary task(JsonNode t) {
        return new TaskSummary(t.path("ID").asText(), t.path("ServiceID").asText(), t.path("Slot").asInt(0),
                t.path("DesiredState").asText(),
                t.path("Status").path("State").asText(), t.path("Status").path("Err").asText(""),
                t.path("Status").path("Timestamp").asText(""),
                t.path("Status").path("ContainerStatus").path("ContainerID").asText(""), t.path("NodeID").asText(""),
                attachments(t.path("NetworksAttachments")));
    }

    /** A task's {@code NetworksAttachments}: its addresses on each network, by the network's name. */
    static java.util.Map<String, List<String>> attachments(JsonNode attachments) {
        java.util.Map<String, List<String>> out = new java.util.LinkedHashMap<>();
        for (JsonNode a : attachments) {
            List<String> addresses = new ArrayList<>();
            a.path("Addresses").forEach(x -> addresses.add(x.asText()));
            out.put(a.path("Network").path("Spec").path("Name").asText(""), List.copyOf(addresses));
        }
        return out;
    }

    static NodeSummary node(JsonNode n) {
        return new NodeSummary(n.path("ID").asText(), n.path("Description").path("Hostname").asText(),
                n.path("Spec").path("Role").asText(),
                n.path("Spec").path("Availability").asText(), n.path("Status").path("State").asText(),
                n.path("Status").path("Addr").asText(), n.path("ManagerStatus").path("Leader").asBoolean(false),
                n.path("ManagerStatus").path("Reachability").asText(""),
                n.path("Description").path("Engine").path("EngineVersion").asText(""),
                strings(n.path("Spec").path("Labels")),
                n.path("Version").path("Index").asLong(0));
    }

    /** A config, with its data. */
    static SwarmObject config(JsonNode c) {
        return new SwarmObject(c.path("ID").asText(), c.path("Spec").path("Name").asText(),
                strings(c.path("Spec").path("Labels")),
                Base64.getDecoder().decode(c.path("Spec").path("Data").asText("")));
    }

    /** A secret: the engine never gives its data back. */
    static SwarmObject secret(JsonNode c) {
        return new SwarmObject(c.path("ID").asText(), c.path("Spec").path("Name").asText(),
                strings(c.path("Spec").path("Labels")), new byte[0]);
    }

    /**
     * The node's Swarm state from {@code /info}; a manager's also carries the cluster's address pool from
     * {@code /swarm} (null on a worker or outside a swarm, where the engine refuses it).
     */
    static SwarmSettings settings(JsonNode swarm, JsonNode cluster) {
        String state = swarm.path("LocalNodeState").asText("inactive");
        List<String> remotes = new ArrayList<>();
        swarm.path("RemoteManagers").forEach(m -> remotes.add(m.path("Addr").asText()));
        String nodeId = swarm.path("NodeID").asText("");
        String error = swarm.path("Error").asText("");
        if (cluster == null) return new SwarmSettings(state.isEmpty() ? "inactive" : state, false,
                swarm.path("NodeAddr").asText(""), List.of(), 0, 0, nodeId, remotes, error);
        List<String> pool = new ArrayList<>();
        cluster.path("DefaultAddrPool").forEach(p -> pool.add(p.asText()));
        return new SwarmSettings(state, true, swarm.path("NodeAddr").asText(""), pool,
                cluster.path("SubnetSize").asInt(0), cluster.path("DataPathPort").asInt(0), nodeId, remotes, error);
    }
}
