package dev.kiban.verify;

import dev.kiban.engine.ContainerState;
import dev.kiban.engine.ContainerSummary;
import dev.kiban.engine.Containers;
import dev.kiban.engine.Engine;
import dev.kiban.engine.EngineApiException;
import dev.kiban.engine.EngineNotFoundException;
import dev.kiban.engine.ServiceSummary;
import dev.kiban.engine.Swarm;
import dev.kiban.engine.SwarmSettings;
import dev.kiban.engine.TaskSummary;
import dev.kiban.failure.RefusedException;
import dev.kiban.os.FilesystemUsage;
import dev.kiban.os.HostPrograms;
import dev.kiban.os.MemInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Gathers a {@link Diagnosis} for a container or a Swarm service (its newest task's container on this node): on
 * a manager through the service's tasks, on a worker through this node's containers of the service.
 */
public final class Doctor {
    private Doctor() {}

    /** What the doctor reads of the host, after the engine's part: its resources and SELinux denials. */
    interface HostReadings {
        Diagnosis.HostResources resources() throws IOException;

        Optional<Integer> selinuxDenials() throws IOException;
    }

    public static Diagnosis examine(Engine engine, HostPrograms programs, String target) throws IOException {
        return examine(engine, engine, target, new HostReadings() {
            @Override
            public Diagnosis.HostResources resources() throws IOException {
                return host(engine);
            }

            @Override
            public Optional<Integer> selinuxDenials() throws IOException {
                return Doctor.selinuxDenials(programs);
            }
        });
    }

    /** The label the engine puts on a Swarm task's container: the name of its service. */
    static final String SERVICE_LABEL = "com.docker.swarm.service.name";

    /**
     * Over the roles the engine's part uses: the containers, and the Swarm whose service may be the target. On a
     * worker, which cannot list services, a service is this node's containers of it (by their label); on a
     * manager, its newest task with a container on this node, or why there is none (pending, failed, elsewhere).
     */
    static Diagnosis examine(Containers engine, Swarm swarm, String target, HostReadings host) throws IOException {
        List<String> taskErrors = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        String containerId = target;
        SwarmSettings settings = swarm.swarm();
        if (settings.active() && !settings.manager()) {
            List<ContainerSummary> local = engine.containers().stream()
                    .filter(c -> target.equals(c.labels().get(SERVICE_LABEL)))
                    .sorted(Comparator.comparing((ContainerSummary c) -> !"running".equals(c.state()))).toList();
            String managers = SwarmRole.managers(settings);
            if (!local.isEmpty()) {
                containerId = local.get(0).id();
                long running = local.stream().filter(c -> "running".equals(c.state())).count();
                notes.add("on a worker: service " + target + " has " + local.size() + " container"
                        + (local.size() == 1 ? "" : "s") + " here (" + running + " running), " + local.get(0).name()
                        + " examined; its tasks on other nodes are seen from a manager (" + managers + ")");
            } else {
                try {
                    engine.inspectContainer(target);
                } catch (EngineNotFoundException e) {
                    throw new RefusedException("on a worker: no container of " + target + " on this node; a service's "
                            + "tasks are seen from a manager (" + managers + "): run 'kiban doctor " + target
                            + "' there");
                }
                notes.add("on a worker: examining container " + target + " of this node");
            }
        }
        Optional<ServiceSummary> service = settings.manager()
                ? swarm.services(Map.of()).stream()
                        .filter(s -> s.name().equals(target) || s.id().startsWith(target)).findFirst()
                : Optional.empty();
        if (service.isPresent()) {
            List<TaskSummary> tasks = swarm.tasks(service.get().id());
            Map<String, String> hostnames = hostnames(swarm, tasks);
            taskErrors.addAll(taskErrors(tasks, hostnames));
            Optional<TaskSummary> withContainer = tasks.stream().filter(t -> !t.containerId().isEmpty())
                    .filter(t -> t.nodeId().isEmpty() || t.nodeId().equals(settings.nodeId())).findFirst();
            if (withContainer.isEmpty()) {
                List<String> elsewhere = tasks.stream().filter(t -> !t.containerId().isEmpty() && t.running())
                        .map(t -> hostnames.getOrDefault(t.nodeId(), t.nodeId())).distinct().toList();
                if (!elsewhere.isEmpty()) {
                    throw new RefusedException("service " + target + " runs no container on this node; its tasks run "
                            + "on " + String.join(", ", elsewhere) + ": run 'kiban doctor " + target + "' there"
                            + (taskErrors.isEmpty() ? "" : "; " + taskErrors.get(0)));
                }
                // not the engine refusing: the service exists, and its tasks never got as far as a container
                throw new RefusedException("service " + target + " has no task with a container"
                        + (taskErrors.isEmpty() ? "" : ": " + taskErrors.get(0)));
            }
            containerId = withContainer.get().containerId();
        }
        ContainerState state = engine.inspectContainer(containerId);
        String logs = engine.logs(state.id(), 30);
        var stats = state.running() ? engine.stats(state.id()) : Optional.<dev.kiban.engine.ContainerStats>empty();
        // Health probes run as exec_* events every few seconds; they would drown the ones that matter.
        List<String> events = engine.events(state.id(), System.currentTimeMillis() / 1000 - 3600).stream()
                .filter(e -> !e.contains(" exec_")).toList();
        return new Diagnosis(target, state, taskErrors, logs, stats, events, host.resources(), host.selinuxDenials(),
                notes);
    }

    /**
     * What the engine says of the tasks that did not run: a failed one's error and the node it failed on, a
     * pending one's reason (no suitable node, and why).
     */
    static List<String> taskErrors(List<TaskSummary> tasks, Map<String, String> hostnames) {
        List<String> out = new ArrayList<>();
        for (TaskSummary t : tasks) {
            if (t.error().isEmpty()) continue;
            if (t.failed()) {
                out.add(t.error() + (t.nodeId().isEmpty() ? "" : " (on " + hostnames.getOrDefault(t.nodeId(),
                        t.nodeId()) + ")"));
            } else if ("pending".equals(t.state()) && "running".equals(t.desiredState())) {
                out.add("pending: " + t.error());
            }
        }
        return out.stream().distinct().toList();
    }

    /** The hostnames of the nodes the tasks were given to; none when the nodes cannot be listed. */
    private static Map<String, String> hostnames(Swarm swarm, List<TaskSummary> tasks) {
        if (tasks.stream().allMatch(t -> t.nodeId().isEmpty())) return Map.of();
        try {
            Map<String, String> out = new HashMap<>();
            swarm.nodes().forEach(n -> out.put(n.id(), n.hostname()));
            return out;
        } catch (EngineApiException e) {
            return Map.of(); // the ids stand in
        }
    }

    private static Diagnosis.HostResources host(Engine engine) throws IOException {
        double load = 0;
        long total = 0;
        long available = 0;
        if (Files.exists(Path.of("/proc/loadavg"))) {
            load = Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        }
        if (Files.exists(MemInfo.PROC)) {
            MemInfo memory = MemInfo.read();
            total = memory.totalBytes();
            available = memory.availableBytes();
        }
        double disk = engine.address().isLocal()
                ? FilesystemUsage.of(Path.of(engine.info().dataRoot())).map(FilesystemUsage::usedPercent).orElse(0.0)
                : 0;
        return new Diagnosis.HostResources(load, available, total, disk);
    }

    /** AVC denials of the last hour, where the audit tools exist (rhel); empty elsewhere. */
    private static Optional<Integer> selinuxDenials(HostPrograms programs) throws IOException {
        Optional<Path> ausearch = programs.find("ausearch");
        if (ausearch.isEmpty()) return Optional.empty();
        HostPrograms.Result r = programs.run(List.of(ausearch.get().toString(), "-m", "avc", "-ts", "recent"),
                Duration.ofSeconds(30));
        return Optional.of((int) r.output().lines().filter(l -> l.startsWith("type=AVC")).count());
    }
}
