package dev.kiban.monitor;

import dev.kiban.engine.ContainerCounters;
import dev.kiban.engine.ContainerState;
import dev.kiban.engine.ContainerSummary;
import dev.kiban.engine.Containers;
import dev.kiban.engine.Engine;
import dev.kiban.engine.EngineNotFoundException;
import dev.kiban.engine.NodeSummary;
import dev.kiban.engine.NotSwarmManagerException;
import dev.kiban.engine.ServiceReplicas;
import dev.kiban.engine.Swarm;
import dev.kiban.engine.TaskSummary;
import dev.kiban.os.FilesystemUsage;
import dev.kiban.os.HostPrograms;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;

/**
 * One sweep over the engine: a container listing, then for each running container its counters — from
 * its cgroup files when they are on this host, else the engine's one-shot stats, in parallel — never
 * {@code docker stats} (which waits for a second sample, about 2 s a container). CPU rates come from the
 * previous sweep's counters. Limits and restart counts come from one inspect per container, repeated
 * only when the events say it changed. Error lines are counted from each container's output since the
 * previous sweep. A container removed mid-sweep is simply not in it; any other failed sample is named in
 * the sweep's failures. On a Swarm manager it also lists the nodes, and the tasks of each service short of
 * replicas (where they failed, and why).
 */
public final class Collector implements AutoCloseable {
    static final Pattern ERROR = Pattern.compile("(?i)\\b(error|critical|fatal|panic|emerg|emergency)\\b"
            + "|level=(err|crit|fatal)");
    private static final int LOG_LINES = 2000;
    /** The newest tasks of a short service kept for the replicas message: the latest attempts of its slots. */
    private static final int TASKS_KEPT = 20;

    private final Containers engine;
    private final Swarm swarm;
    private final CgroupFiles cgroups;
    private final HostFacts host;
    private final List<Path> filesystems;
    private final Path backupLog;
    /** The weekly routine's logs, by job (R9.1); none until {@link #routineLogs} names their directory. */
    private volatile java.util.Map<String, Path> routineLogs = java.util.Map.of();
    private final ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "kiban-collect");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, long[]> lastCpu = new ConcurrentHashMap<>(); // id -> {cpu ns, wall ns}
    private final Map<String, ContainerState> inspected = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastLogTime = new ConcurrentHashMap<>();
    /** When to ask for services again after the engine said it is no manager (System.nanoTime). */
    private long nextServiceListing = System.nanoTime();
    /** This engine's Swarm node id, once known; under the lock. */
    private String ownNodeId = "";
    /**
     * Whether this node led the swarm at the last node listing. Every manager runs an agent: only the leader's
     * raises cluster alerts (nodes, replicas), or each would come once per manager; a follower's only resolves
     * those it raised while it led ({@link Evaluator#asFollower}).
     */
    private volatile boolean leading = true;

    /** Whether this agent speaks for the cluster: its node leads the swarm (or it cannot tell, as one manager). */
    public boolean leading() {
        return leading;
    }
    /** When to ask for nodes again after the engine said this is no manager (System.nanoTime); under the lock. */
    private long nextNodeListing = System.nanoTime();
    private final JournalErrors journal;

    public Collector(Engine engine, CgroupFiles cgroups, HostFacts host, List<Path> filesystems, Path backupLog,
                     HostPrograms programs) {
        this(engine, engine, cgroups, host, filesystems, backupLog, programs);
    }

    public Collector(Containers containers, Swarm swarm, CgroupFiles cgroups, HostFacts host, List<Path> filesystems,
                     Path backupLog, HostPrograms programs) {
        this.backupLog = backupLog;
        this.engine = containers;
        this.swarm = swarm;
        this.cgroups = cgroups;
        this.host = host;
        this.filesystems = filesystems;
        this.journal = new JournalErrors(programs, Instant.now());
    }

    /**
     * Reads these logs of the weekly routine, by job, at every sweep: the jobs the spec has (a job taken out of it,
     * the off-site copy, raises no alert from its old log).
     */
    public Collector routineLogs(java.util.Map<String, Path> logs) {
        this.routineLogs = java.util.Map.copyOf(logs);
        return this;
    }

    /** Forget what is known of a container: the next sweep inspects it again (after a die, start, oom …). */
    public void invalidate(String id) {
        inspected.remove(id);
    }

    public Sweep sweep(boolean logs) {
        long start = System.nanoTime();
        Instant at = Instant.now();
        List<ContainerSummary> listed = engine.containers();
        List<Future<Sweep.ContainerSample>> futures = new ArrayList<>();
        String[] source = {"cgroup"};
        for (ContainerSummary c : listed) futures.add(pool.submit(() -> sample(c, logs, source)));
        List<Sweep.ContainerSample> samples = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < futures.size(); i++) {
            try {
                samples.add(futures.get(i).get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (java.util.concurrent.ExecutionException e) {
                // a container removed mid-sweep is simply not in this sweep; anything else is a sample lost
                if (!(e.getCause() instanceof EngineNotFoundException)) {
                    failures.add(listed.get(i).name() + ": " + e.getCause().getMessage());
                }
            }
        }
        lastCpu.keySet().retainAll(listed.stream().map(ContainerSummary::id).toList());
        inspected.keySet().retainAll(listed.stream().map(ContainerSummary::id).toList());
        Optional<List<NodeSummary>> nodes = nodes(failures);
        List<ServiceReplicas> services = List.of();
        if (System.nanoTime() - nextServiceListing >= 0) {
            try {
                services = swarm.serviceReplicas();
            } catch (NotSwarmManagerException e) {
                // a worker, no swarm, or a manager between leaders: ask again in a minute, not every sweep
                nextServiceListing = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(1);
            } catch (RuntimeException e) {
                failures.add("services: " + e.getMessage());
            }
        }
        Map<String, List<TaskSummary>> tasks = tasksOfShort(services, failures);
        List<Sweep.FilesystemSample> fs = new ArrayList<>();
        for (Path p : filesystems) {
            try {
                Optional<FilesystemUsage> u = FilesystemUsage.of(p);
                u.ifPresent(x -> fs.add(new Sweep.FilesystemSample(p.toString(), x.filesystem(), x.totalBytes(),
                        x.usedBytes(), x.usedPercent())));
            } catch (IOException e) {
                // not mounted right now: the disk rule sees no signal for it
            }
        }
        Map<String, List<String>> journalErrors = Map.of();
        if (logs) {
            try {
                journalErrors = journal.read();
            } catch (IOException e) {
                failures.add("journal: " + e.getMessage());
            }
        }
        java.util.Map<String, String> routine = new java.util.TreeMap<>();
        routineLogs.forEach((job, log) -> lastLine(log).ifPresent(line -> routine.put(job, line)));
        return new Sweep(at, samples, services, fs, System.nanoTime() - start, source[0], lastLine(backupLog),
                journalErrors, List.copyOf(failures), nodes, tasks, routine);
    }

    /**
     * The Swarm's nodes, on a manager: one listing. On a worker or outside a swarm there are none, and the
     * engine is asked again in a minute, not every time; when the listing fails they are absent and the reason
     * is added to {@code failures}. A manager whose swarm has no leader answers the listing with the same 503 as
     * a worker, so this node's own swarm state tells the two apart (a worker's says it is no manager).
     */
    public synchronized Optional<List<NodeSummary>> nodes(List<String> failures) {
        if (System.nanoTime() - nextNodeListing < 0) return Optional.of(List.of());
        try {
            List<NodeSummary> listed = List.copyOf(swarm.nodes());
            leading = leads(listed);
            return Optional.of(listed);
        } catch (NotSwarmManagerException e) {
            if (noManager()) {
                nextNodeListing = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(1);
                return Optional.of(List.of());
            }
            failures.add("nodes: " + e.getMessage());
        } catch (RuntimeException e) {
            failures.add("nodes: " + e.getMessage());
        }
        return Optional.empty();
    }

    /**
     * Whether this engine's node leads the swarm of {@code nodes}; a node that cannot tell which it is (no node id)
     * takes itself for the leader, as a single manager is.
     */
    private boolean leads(List<NodeSummary> nodes) {
        if (ownNodeId.isEmpty() || nodes.stream().noneMatch(n -> n.id().equals(ownNodeId))) {
            try {
                ownNodeId = swarm.swarm().nodeId();
            } catch (RuntimeException e) {
                return true;
            }
        }
        return ownNodeId.isEmpty() || nodes.stream().noneMatch(n -> n.id().equals(ownNodeId))
                || nodes.stream().anyMatch(n -> n.id().equals(ownNodeId) && n.leader());
    }

    /** Whether this engine says it is no Swarm manager; a manager that cannot read its cluster is still one. */
    private boolean noManager() {
        try {
            return !swarm.swarm().manager();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The tasks, newest first, of each service running fewer than it wants: only those, to stay cheap. */
    private Map<String, List<TaskSummary>> tasksOfShort(List<ServiceReplicas> services, List<String> failures) {
        Map<String, List<TaskSummary>> out = new LinkedHashMap<>();
        for (ServiceReplicas s : services) {
            if (s.running() >= s.desired()) continue;
            try {
                List<TaskSummary> t = swarm.tasks(s.id());
                out.put(s.id(), List.copyOf(t.subList(0, Math.min(TASKS_KEPT, t.size()))));
            } catch (EngineNotFoundException e) {
                // removed since the listing: the next sweep will not list it
            } catch (RuntimeException e) {
                failures.add("tasks of " + s.name() + ": " + e.getMessage());
            }
        }
        return out;
    }

    private static Optional<String> lastLine(Path log) {
        if (log == null || !java.nio.file.Files.isRegularFile(log)) return Optional.empty();
        try {
            return new dev.kiban.os.BackupLog(log).lastLine();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private Sweep.ContainerSample sample(ContainerSummary c, boolean logs, String[] source) {
        ContainerState state = inspected.computeIfAbsent(c.id(), engine::inspectContainer);
        String service = c.labels().getOrDefault("com.docker.swarm.service.name",
                c.labels().getOrDefault("com.docker.compose.service", ""));
        double cpuLimit = state.nanoCpus() > 0 ? state.nanoCpus() / 1e9 : host.cpus();
        double ofLimit = Double.NaN;
        double ofHost = Double.NaN;
        long workingSet = 0;
        long limit = 0;
        long oom = 0;
        int errors = 0;
        List<String> errorLines = List.of();
        if (c.running()) {
            Optional<ContainerCounters> counters = cgroups.read(c.id());
            if (counters.isEmpty()) {
                source[0] = "engine";
                counters = engine.counters(c.id());
            }
            if (counters.isPresent()) {
                ContainerCounters k = counters.get();
                long now = System.nanoTime();
                long[] before = lastCpu.put(c.id(), new long[] {k.cpuNanos(), now});
                if (before != null && now > before[1] && k.cpuNanos() >= before[0]) {
                    double cores = (k.cpuNanos() - before[0]) / (double) (now - before[1]);
                    ofHost = cores / host.cpus() * 100;
                    ofLimit = cores / cpuLimit * 100;
                }
                workingSet = k.workingSet();
                limit = k.memoryLimit() > 0 && k.memoryLimit() < host.memoryBytes() ? k.memoryLimit() : 0;
                oom = k.oomKills();
            }
            if (logs) {
                List<String> found = errorLines(c.id());
                errors = found.size();
                errorLines = found.size() > 20 ? found.subList(found.size() - 20, found.size()) : found;
            }
        }
        long against = limit > 0 ? limit : host.memoryBytes();
        double memPercent = against > 0 ? workingSet * 100.0 / against : 0;
        return new Sweep.ContainerSample(c.id(), c.name(), service, c.image(), c.state(),
                c.health().name().toLowerCase(), ofLimit, ofHost, cpuLimit, workingSet, limit, memPercent,
                Math.max(oom, state.oomKilled() ? 1 : 0), state.restartCount(), errors, errorLines);
    }

    /** Error-level lines the container wrote since the last sweep (the engine's timestamps tell old from new). */
    private List<String> errorLines(String id) {
        Instant last = lastLogTime.get(id);
        long since = last == null ? Instant.now().getEpochSecond() - 60 : last.getEpochSecond();
        List<String> out = new ArrayList<>();
        Instant newest = last;
        for (String line : engine.logLines(id, since, LOG_LINES)) {
            int sp = line.indexOf(' ');
            if (sp < 0) continue;
            Instant ts;
            try {
                ts = Instant.parse(line.substring(0, sp));
            } catch (RuntimeException e) {
                continue;
            }
            if (last != null && !ts.isAfter(last)) continue; // "since" is whole seconds: skip what the last sweep saw
            newest = newest == null || ts.isAfter(newest) ? ts : newest;
            String text = line.substring(sp + 1);
            if (ERROR.matcher(text).find()) out.add(text.length() > 500 ? text.substring(0, 500) : text);
        }
        if (newest != null) lastLogTime.put(id, newest);
        return out;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
