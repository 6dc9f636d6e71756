package dev.kiban.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The spec as YAML, before it means anything: mappings, sequences and scalars, each with the place it
 * was written, so every problem can be reported at its line and column.
 */
public sealed interface SpecNode {

    Location location();

    /** Where a node stands: a file (or {@code builtin:…}) and a 1-based line and column. */
    record Location(String file, int line, int column) {
        @Override
        public String toString() {
            return file + ":" + line + ":" + column;
        }
    }

    record Mapping(Location location, Map<String, Entry> entries) implements SpecNode {
        public SpecNode get(String key) {
            Entry e = entries.get(key);
            return e == null ? null : e.value();
        }
    }

    record Entry(Location keyLocation, SpecNode value) {}

    record Sequence(Location location, List<SpecNode> items) implements SpecNode {}

    /** A scalar's text, and whether YAML read it as a string, a number or a boolean. */
    record Scalar(Location location, String text, Kind kind) implements SpecNode {
        public enum Kind { STRING, NUMBER, BOOLEAN }
    }

    record Null(Location location) implements SpecNode {}

    /**
     * {@code override} laid over {@code base}: mappings merge key by key, anything else (lists
     * included) is replaced whole, the way operators expect a partial spec to work.
     */
    static SpecNode merge(SpecNode base, SpecNode override) {
        if (base instanceof Mapping b && override instanceof Mapping o) {
            Map<String, Entry> merged = new LinkedHashMap<>();
            b.entries().forEach((key, entry) -> {
                Entry mine = o.entries().get(key);
                merged.put(key, mine == null ? entry : new Entry(mine.keyLocation(),
                        merge(entry.value(), mine.value())));
            });
            o.entries().forEach(merged::putIfAbsent);
            return new Mapping(o.location(), merged);
        }
        return override;
    }

    /** Every path written in this tree with its place: the index problems are located by. */
    static Map<String, Location> index(SpecNode root) {
        Map<String, Location> out = new LinkedHashMap<>();
        indexInto(root, "", out);
        return out;
    }

    private static void indexInto(SpecNode node, String path, Map<String, Location> out) {
        out.putIfAbsent(path, node.location());
        if (node instanceof Mapping m) {
            m.entries().forEach((k, e) -> {
                String child = path.isEmpty() ? k : path + "." + k;
                out.put(child, e.keyLocation());
                indexInto(e.value(), child, out);
            });
        } else if (node instanceof Sequence s) {
            List<SpecNode> items = new ArrayList<>(s.items());
            for (int i = 0; i < items.size(); i++) indexInto(items.get(i), path + "[" + i + "]", out);
        }
    }
}
