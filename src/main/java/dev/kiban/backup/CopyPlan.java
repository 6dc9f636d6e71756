package dev.kiban.backup;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What {@code kiban backup copy} sends, in what order (pure): the files of the source repository the
 * target lacks. The configuration first (a target that has it opens with the same key file), then the
 * packs, then the indexes (only those whose pack the target will hold), the snapshots last: a copy
 * interrupted at any point leaves a target that is a sound, older repository, and a rerun plans only
 * what is still missing. A file both hold with different sizes is a conflict: nothing is copied.
 */
public record CopyPlan(List<String> config, List<String> packs, List<String> indexes, List<String> snapshots,
        int packsSkipped, int indexesSkipped, int snapshotsSkipped, List<String> orphanIndexes,
        List<String> conflicts, long bytes) {
    static final String CONFIG = RepositoryConfig.CONFIG;
    private static final Pattern PACK = Pattern.compile("packs/([0-9a-f]{2})/(\\1[0-9a-f]{30})");
    private static final Pattern INDEX = Pattern.compile("index/([0-9a-f]{32})");
    private static final Pattern SNAPSHOT = Pattern.compile("snapshots/[0-9A-Za-z_-]{1,128}\\.json");

    public CopyPlan {
        config = List.copyOf(config);
        packs = List.copyOf(packs);
        indexes = List.copyOf(indexes);
        snapshots = List.copyOf(snapshots);
        orphanIndexes = List.copyOf(orphanIndexes);
        conflicts = List.copyOf(conflicts);
    }

    /** Whether {@code name} is a file a copy carries: the configuration, a pack, an index or a snapshot. */
    static boolean isRepositoryFile(String name) {
        return name.equals(CONFIG) || PACK.matcher(name).matches() || INDEX.matcher(name).matches()
                || SNAPSHOT.matcher(name).matches();
    }

    /**
     * The plan from the two listings (repository name to size): {@code source}'s files {@code target} lacks.
     * Anything else in either listing is ignored.
     */
    public static CopyPlan of(Map<String, Long> source, Map<String, Long> target) {
        List<String> packs = new ArrayList<>();
        List<String> indexes = new ArrayList<>();
        List<String> snapshots = new ArrayList<>();
        List<String> orphans = new ArrayList<>();
        List<String> conflicts = new ArrayList<>();
        int[] skipped = new int[3];
        long bytes = 0;
        List<String> names = source.keySet().stream().filter(CopyPlan::isRepositoryFile).sorted().toList();
        for (String name : names) {
            Long there = target.get(name);
            int kind = PACK.matcher(name).matches() ? 0 : INDEX.matcher(name).matches() ? 1
                    : SNAPSHOT.matcher(name).matches() ? 2 : -1;
            if (kind < 0) continue; // the configuration: compared by content, not size
            if (there != null) {
                if (!there.equals(source.get(name)) && kind != 2) {
                    conflicts.add(name + ": " + there + " bytes at the destination, " + source.get(name) + " here");
                }
                skipped[kind]++;
                continue;
            }
            if (kind == 1) {
                String pack = packName(name.substring("index/".length()));
                if (!source.containsKey(pack) && !target.containsKey(pack)) {
                    orphans.add(name);
                    continue;
                }
            }
            (kind == 0 ? packs : kind == 1 ? indexes : snapshots).add(name);
            bytes += source.get(name);
        }
        List<String> config = source.containsKey(CONFIG) && !target.containsKey(CONFIG) ? List.of(CONFIG) : List.of();
        if (!config.isEmpty()) bytes += source.get(CONFIG);
        return new CopyPlan(config, packs, indexes, snapshots, skipped[0], skipped[1], skipped[2], orphans, conflicts,
                bytes);
    }

    static String packName(String pack) {
        return "packs/" + pack.substring(0, 2) + "/" + pack;
    }

    /** Every file to send, in the order it must be sent. */
    public List<String> steps() {
        List<String> out = new ArrayList<>(config);
        out.addAll(packs);
        out.addAll(indexes);
        out.addAll(snapshots);
        return out;
    }
}
