package dev.kiban.backup;

import dev.kiban.backup.Snapshot.Entry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What changed between two snapshots, path by path: added, removed, modified (content, type, mode, owner, link target).
 * Pure.
 */
public record SnapshotDiff(String from, String to, List<Change> changes) {

    public enum Kind { ADDED, REMOVED, MODIFIED }

    /** One change: the source, the path in it ("." for a whole source), and for a modification what differs. */
    public record Change(Kind kind, String source, String path, String what) {
        public String line() {
            char mark = switch (kind) {
                case ADDED -> '+';
                case REMOVED -> '-';
                case MODIFIED -> 'M';
            };
            return mark + " " + source + ":" + path + (what.isEmpty() ? "" : "  (" + what + ")");
        }
    }

    public static SnapshotDiff between(Snapshot a, Snapshot b) {
        List<Change> out = new ArrayList<>();
        Map<String, Snapshot.Tree> before = new LinkedHashMap<>();
        a.trees().forEach(t -> before.put(t.source(), t));
        for (Snapshot.Tree t : b.trees()) {
            Snapshot.Tree old = before.remove(t.source());
            if (old == null) {
                out.add(new Change(Kind.ADDED, t.source(), ".", t.entries().size() + " entries"));
                continue;
            }
            Map<String, Entry> was = new LinkedHashMap<>();
            old.entries().forEach(e -> was.put(e.path(), e));
            for (Entry e : t.entries()) {
                Entry o = was.remove(e.path());
                if (o == null) out.add(new Change(Kind.ADDED, t.source(), e.path(), ""));
                else {
                    String what = differences(o, e);
                    if (!what.isEmpty()) out.add(new Change(Kind.MODIFIED, t.source(), e.path(), what));
                }
            }
            was.keySet().forEach(p -> out.add(new Change(Kind.REMOVED, t.source(), p, "")));
        }
        before.values().forEach(t -> out.add(new Change(Kind.REMOVED, t.source(), ".", t.entries().size()
                + " entries")));
        return new SnapshotDiff(a.id(), b.id(), out);
    }

    private static String differences(Entry o, Entry e) {
        List<String> what = new ArrayList<>();
        if (o.type() != e.type()) what.add(o.type().name().toLowerCase() + " -> " + e.type().name().toLowerCase());
        else if (!o.chunks().equals(e.chunks())) what.add("content, " + o.size() + " -> " + e.size() + " bytes");
        if (!Objects.equals(o.target(), e.target())) {
            what.add(o.type() == Entry.Type.FILE ? "id" : "target " + o.target() + " -> " + e.target());
        }
        if (o.mode() != e.mode()) what.add(String.format("mode %04o -> %04o", o.mode(), e.mode()));
        if (o.uid() != e.uid() || o.gid() != e.gid()) {
            what.add("owner " + o.uid() + ":" + o.gid() + " -> " + e.uid() + ":" + e.gid());
        }
        // mtime alone is not a change a reader cares about when the content is the same; directories' mtimes move with
        // every file
        return String.join(", ", what);
    }

    public long count(Kind kind) {
        return changes.stream().filter(c -> c.kind() == kind).count();
    }
}
