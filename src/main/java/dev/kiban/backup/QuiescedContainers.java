package dev.kiban.backup;

import dev.kiban.engine.ContainerSummary;
import dev.kiban.engine.Containers;
import dev.kiban.engine.Engine;
import dev.kiban.engine.EngineNotFoundException;
import dev.kiban.engine.ExecResult;
import dev.kiban.engine.Swarm;
import dev.kiban.os.Wait;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Consistent copies (R5.5): around the copy of a volume, the running containers that mount it and are
 * labelled {@code kiban.backup.stop=true} (or named in {@code stopNames}) are stopped, or their Swarm
 * service scaled to 0, and brought back after, even when the copy fails. {@code kiban.backup.pre} runs
 * inside the container before (a database dump, say) and a failing pre command fails the backup of that
 * volume; {@code kiban.backup.post} runs after the restart. The notes say what was stopped and how long.
 */
public final class QuiescedContainers implements BackupRepository.Quiesce {
    public static final String STOP = "kiban.backup.stop";
    public static final String PRE = "kiban.backup.pre";
    public static final String POST = "kiban.backup.post";
    private static final int STOP_SECONDS = 30;

    private final Containers engine;
    private final Swarm swarm;
    private final Set<String> stopNames;
    private final List<String> notes = new ArrayList<>();
    private final Map<String, Stopped> stopped = new LinkedHashMap<>();

    private record Stopped(ContainerSummary container, String serviceId, int replicas, long since) {}

    private final boolean hooks;

    /** For a backup: stops the labelled containers and those named, and runs the pre/post hooks. */
    public QuiescedContainers(Engine engine, Set<String> stopNames) {
        this(engine, stopNames, true);
    }

    /** {@code hooks} false: only stop and start (a restore must not run a backup's dump command). */
    public QuiescedContainers(Engine engine, Set<String> stopNames, boolean hooks) {
        this(engine, engine, stopNames, hooks);
    }

    /** Over the two roles it uses: the containers, and the Swarm whose services it scales. */
    public QuiescedContainers(Containers containers, Swarm swarm, Set<String> stopNames, boolean hooks) {
        this.engine = containers;
        this.swarm = swarm;
        this.stopNames = stopNames;
        this.hooks = hooks;
    }

    /**
     * The running containers that mount {@code volume} (a named volume of that name, or a host path at or under it).
     */
    public List<ContainerSummary> writersOf(BackupRepository.Source volume) {
        return engine.containers().stream().filter(ContainerSummary::running).filter(c -> mounts(c, volume)).toList();
    }

    /** Whether {@code c} mounts the volume: a named volume of that name, or a host path at or under it. */
    private static boolean mounts(ContainerSummary c, BackupRepository.Source volume) {
        Path root = volume.path().toAbsolutePath().normalize();
        String name = volume.name().startsWith("volume:") ? volume.name().substring("volume:".length()) : "";
        return c.mounts().stream().anyMatch(m -> (!name.isEmpty() && name.equals(m.name()))
                || (!m.source().isEmpty() && Path.of(m.source()).toAbsolutePath().normalize().startsWith(root)));
    }

    private boolean stops(ContainerSummary c) {
        return "true".equalsIgnoreCase(c.labels().getOrDefault(STOP, "")) || stopNames.contains(c.name());
    }

    @Override
    public void before(BackupRepository.Source source) throws IOException {
        if (!source.name().startsWith("volume:")) return;
        for (ContainerSummary c : writersOf(source)) {
            String pre = hooks ? c.labels().getOrDefault(PRE, "") : "";
            if (!pre.isBlank()) {
                ExecResult r = engine.exec(c.id(), List.of("sh", "-c", pre));
                if (r.exitCode() != 0) {
                    throw new IOException("the pre-backup command of " + c.name() + " (" + PRE + ") failed with exit "
                            + r.exitCode() + ": "
                            + last(r.output()));
                }
                notes.add(c.name() + ": ran " + PRE + " before copying " + source.name());
            }
            if (!stops(c) || stopped.containsKey(c.id())) continue;
            long since = System.nanoTime();
            String service = c.serviceId().orElse(null);
            if (service != null) {
                int replicas = swarm.services(Map.of()).stream().filter(s -> s.id().equals(service)).findFirst()
                        .map(s -> s.replicas()).orElse(1);
                stopped.put(c.id(), new Stopped(c, service, replicas, since));
                swarm.scaleService(service, 0);
                awaitStopped(c);
            } else {
                stopped.put(c.id(), new Stopped(c, null, 0, since));
                engine.stopContainer(c.id(), STOP_SECONDS);
            }
        }
    }

    /** A service scaled to 0 stops its task's container in its own time; the copy waits for it. */
    private void awaitStopped(ContainerSummary c) throws IOException {
        Duration limit = Duration.ofSeconds(STOP_SECONDS + 10);
        try {
            Wait.until(() -> {
                try {
                    return !engine.inspectContainer(c.id()).running();
                } catch (EngineNotFoundException gone) {
                    return true; // the task's container was removed; a lost engine propagates: no reason to copy on
                }
            }, limit, c.name() + " to stop");
        } catch (Wait.TimedOut e) {
            throw new IOException(c.name() + " did not stop within " + limit.toSeconds()
                    + " s after its service was scaled to 0");
        }
    }

    @Override
    public void after(BackupRepository.Source source) throws IOException {
        if (!source.name().startsWith("volume:")) return;
        IOException first = null;
        for (ContainerSummary c : writersOfStopped(source)) {
            Stopped s = stopped.remove(c.id());
            try {
                if (s.serviceId() != null) swarm.scaleService(s.serviceId(), s.replicas());
                else engine.startContainer(c.id());
                notes.add(String.format(Locale.ROOT, "%s: %s for %.1f s while %s was copied", c.name(),
                        s.serviceId() != null ? "service scaled to 0" : "stopped",
                        (System.nanoTime() - s.since()) / 1e9, source.name()));
            } catch (RuntimeException e) {
                notes.add(c.name() + ": could not be started again: " + e.getMessage());
                if (first == null) {
                    first = new IOException(c.name() + " could not be started again after the backup: "
                            + e.getMessage(), e);
                }
            }
        }
        for (ContainerSummary c : writersOf(source)) {
            String post = hooks ? c.labels().getOrDefault(POST, "") : "";
            if (post.isBlank()) continue;
            ExecResult r = engine.exec(c.id(), List.of("sh", "-c", post));
            notes.add(c.name() + ": ran " + POST + (r.exitCode() == 0 ? "" : ", which failed with exit " + r.exitCode()
                    + ": " + last(r.output())));
        }
        if (first != null) throw first;
    }

    private List<ContainerSummary> writersOfStopped(BackupRepository.Source source) {
        return stopped.values().stream().map(Stopped::container).filter(c -> mounts(c, source)).toList();
    }

    private static String last(String output) {
        String s = output.strip();
        return s.length() > 300 ? "…" + s.substring(s.length() - 300) : s;
    }

    @Override
    public List<String> notes() {
        return List.copyOf(notes);
    }
}
