package dev.kiban.recovery;

import dev.kiban.backup.SwarmState;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Everything {@link RecoveryPlan} decides from, gathered once by {@link RecoveryGather}: what the snapshot holds
 * (its listing, the compose files' text, the Swarm state) and what the host has now (the engine's images,
 * volumes, configs, secrets, networks, stacks and containers; each destination compared with the snapshot's
 * tree), and what an earlier restore-all of this snapshot made ({@link Journal}).
 *
 * @param snapshot the snapshot's id
 * @param images the snapshot's images
 * @param volumes the snapshot's volumes, each with the state of its destination here
 * @param compose the compose tree's state here; empty when the snapshot has none
 * @param stacks the stacks of the snapshot's compose tree, by directory, with the compose file's text
 * @param badNames names in the snapshot that kiban would never write (a stack "../x", a volume "a/b")
 * @param swarm the Swarm state the snapshot recorded, if any
 * @param engine what the engine has now
 * @param journal what earlier runs of restore-all made from this snapshot
 */
public record RecoveryFacts(String snapshot, List<Image> images, List<Volume> volumes, Optional<Place> compose,
        List<Stack> stacks, List<String> badNames, Optional<SwarmState> swarm, EngineState engine, Journal journal) {

    /** An image archive of the snapshot: its source name, the image's id and its tags. */
    public record Image(String source, String id, String tags) {}

    /**
     * What a destination holds compared with the snapshot's tree: nothing there; nothing the snapshot lacks (empty, or
     * only some of its files and directories); exactly the snapshot's; something else, which a restore would lose.
     */
    public enum Place { ABSENT, EMPTY, EQUAL, DIFFERENT }

    /**
     * A volume of the snapshot: its name, whether it lives in the spec's volume tree (else it is an engine volume),
     * its destination's state, and the running containers that mount it.
     */
    public record Volume(String name, boolean inTree, Place place, List<String> usedBy) {}

    /** A stack of the snapshot's compose tree: its name (directory), its compose file's name and text. */
    public record Stack(String name, String file, String text) {}

    /**
     * The engine now: whether it is an active Swarm manager; the image ids, configs, secrets and networks it has;
     * the stacks whose services run (by namespace); and the running containers that belong to no stack of the
     * snapshot (name, and stack when it is one's).
     */
    public record EngineState(boolean swarmActive, Set<String> imageIds, Set<String> configs, Set<String> secrets,
            Set<String> networks, Set<String> stacks, List<String> otherContainers) {}

    /** What restore-all made from this snapshot on this host, so that a second run continues: stacks, volumes. */
    public record Journal(List<String> stacks, List<String> volumes) {
        public static final Journal EMPTY = new Journal(List.of(), List.of());

        public Journal {
            stacks = stacks == null ? List.of() : List.copyOf(stacks);
            volumes = volumes == null ? List.of() : List.copyOf(volumes);
        }

        public Journal withStack(String s) {
            return stacks.contains(s) ? this : new Journal(concat(stacks, s), volumes);
        }

        public Journal withVolume(String v) {
            return volumes.contains(v) ? this : new Journal(stacks, concat(volumes, v));
        }

        private static List<String> concat(List<String> a, String b) {
            List<String> out = new java.util.ArrayList<>(a);
            out.add(b);
            return out;
        }
    }
}
