package dev.kiban.spec;

import dev.kiban.spec.SpecNode.Location;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.MappingStartEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.events.SequenceStartEvent;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;

/**
 * Reads YAML text into a {@link SpecNode} tree, keeping each node's place. Syntax errors, duplicate
 * keys and runaway aliases become {@link Problem}s rather than exceptions, so a file with several
 * mistakes reports them together where it can.
 *
 * <p>SnakeYAML's event parser does the syntax; this class composes the tree itself, because neither
 * SnakeYAML's composer nor Jackson does what Compose files need with locations kept:
 * <ul>
 *   <li>Scalars are typed by the YAML 1.2 core schema, as Compose does: only {@code true}/{@code false}
 *       (any of the three cases) are booleans, {@code yes}/{@code no}/{@code on}/{@code off} are text,
 *       quoted scalars are always text.</li>
 *   <li>An alias {@code *a} resolves to the anchored node itself. The tree is immutable, so the node is
 *       shared, and it carries the location of the anchor: the place its text is written. A key always
 *       carries the place where that key is written (for a merged key, inside the anchored mapping).</li>
 *   <li>Merge keys {@code <<: *a} and {@code <<: [*a, *b]}: keys written in the mapping win over merged
 *       ones, and earlier sources win over later ones (the YAML merge-key spec).</li>
 *   <li>Every alias use counts the nodes it stands for; past {@link #MAX_ALIAS_NODES} the file is refused
 *       ("billion laughs"), at the alias that crossed the line, before anything walks the tree.</li>
 * </ul>
 */
public final class SpecReader {
    private static final java.util.Set<String> MERGE_TAGS = java.util.Set.of("!", "tag:yaml.org,2002:merge");
    /** Nodes that alias uses may stand for in one file; ordinary anchors in a compose file use a few hundred. */
    public static final int MAX_ALIAS_NODES = 10_000;
    /** Nesting beyond this is no configuration file; the bound keeps the reader's recursion safe. */
    static final int MAX_DEPTH = 100;

    private static final String CORE = "tag:yaml.org,2002:";
    private static final Pattern NULL = Pattern.compile("~|null|Null|NULL|");
    private static final Pattern BOOL = Pattern.compile("true|True|TRUE|false|False|FALSE");
    private static final Pattern INT = Pattern.compile("[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+");
    private static final Pattern FLOAT = Pattern.compile(
            "[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)");

    private final String file;
    private final List<Problem> problems;
    /** Anchor name to its node, or to an {@link Open} marker while its collection is still being read. */
    private final Map<String, Object> anchors = new HashMap<>();
    /** How many nodes each collection stands for with its aliases expanded. */
    private final Map<SpecNode, Integer> sizes = new IdentityHashMap<>();
    private int expanded;
    private Parser parser;

    private static final class Open {}

    /** Stops reading: the problem says why. */
    private static final class Refused extends RuntimeException {
        final Problem problem;

        Refused(Problem problem) {
            super(problem.message(), null, false, false);
            this.problem = problem;
        }
    }

    /** Reads YAML text into a located tree; syntax errors go to {@code problems} (the result is then null). */
    public static SpecNode read(String file, String text, List<Problem> problems) {
        return new SpecReader(file, problems).read(text);
    }

    SpecReader(String file, List<Problem> problems) {
        this.file = file;
        this.problems = problems;
    }

    /** The document's root node, or {@code null} when the YAML cannot be read (a problem says why). */
    SpecNode read(String text) {
        anchors.clear();
        sizes.clear();
        expanded = 0;
        parser = new ParserImpl(new StreamReader(text), new LoaderOptions());
        try {
            parser.getEvent(); // stream start
            if (parser.checkEvent(Event.ID.StreamEnd)) {
                problems.add(new Problem(Problem.Severity.ERROR, file, 1, 1, "",
                        "the file is empty; run 'kiban spec init' for a complete spec"));
                return null;
            }
            parser.getEvent(); // document start
            SpecNode root = node(0);
            parser.getEvent(); // document end
            if (!parser.checkEvent(Event.ID.StreamEnd)) {
                Location at = at(parser.peekEvent().getStartMark());
                problems.add(new Problem(Problem.Severity.ERROR, file, at.line(), at.column(), "",
                        "only one YAML document is allowed in a spec"));
            }
            return root;
        } catch (Refused e) {
            problems.add(e.problem);
            return null;
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String what = e.getProblem() != null ? e.getProblem() : e.getContext();
            problems.add(new Problem(Problem.Severity.ERROR, file, mark == null ? 0 : mark.getLine() + 1,
                    mark == null ? 0 : mark.getColumn() + 1, "", "YAML syntax: " + firstLine(what)));
            return null;
        } catch (YAMLException e) {
            problems.add(new Problem(Problem.Severity.ERROR, file, 0, 0, "",
                    "YAML syntax: " + firstLine(e.getMessage())));
            return null;
        }
    }

    private SpecNode node(int depth) {
        Event event = parser.getEvent();
        if (depth > MAX_DEPTH) throw refused(event.getStartMark(), "nested more than " + MAX_DEPTH + " levels deep");
        if (event instanceof AliasEvent alias) return alias(alias);
        if (event instanceof ScalarEvent scalar) {
            SpecNode node = scalar(scalar);
            if (scalar.getAnchor() != null) anchors.put(scalar.getAnchor(), node);
            return node;
        }
        if (!(event instanceof CollectionStartEvent start)) {
            throw refused(event.getStartMark(), "unexpected " + event.getEventId());
        }
        Open open = new Open();
        if (start.getAnchor() != null) anchors.put(start.getAnchor(), open);
        SpecNode node = start instanceof SequenceStartEvent
                ? sequence(start, depth)
                : mapping((MappingStartEvent) start, depth);
        // a later anchor of the same name, written inside this collection, stays the one aliases refer to
        if (start.getAnchor() != null && anchors.get(start.getAnchor()) == open) anchors.put(start.getAnchor(), node);
        return node;
    }

    private SpecNode alias(AliasEvent alias) {
        Object target = anchors.get(alias.getAnchor());
        if (target == null) throw refused(alias.getStartMark(), "the alias *" + alias.getAnchor() + " has no anchor &"
                + alias.getAnchor() + " before it");
        if (target instanceof Open) throw refused(alias.getStartMark(), "the alias *" + alias.getAnchor()
                + " refers to a collection that contains it; the value would be endless");
        SpecNode node = (SpecNode) target;
        expanded += size(node);
        if (expanded > MAX_ALIAS_NODES) {
            throw refused(alias.getStartMark(), "too many alias expansions: the aliases in this file stand for more"
                    + " than " + MAX_ALIAS_NODES + " values; write the values out or use fewer nested anchors");
        }
        return node;
    }

    private SpecNode sequence(CollectionStartEvent start, int depth) {
        List<SpecNode> items = new ArrayList<>();
        int size = 1;
        while (!parser.checkEvent(Event.ID.SequenceEnd)) {
            SpecNode item = node(depth + 1);
            items.add(item);
            size += size(item);
        }
        parser.getEvent();
        SpecNode node = new SpecNode.Sequence(at(start.getStartMark()), List.copyOf(items));
        sizes.put(node, size);
        return node;
    }

    private SpecNode mapping(MappingStartEvent start, int depth) {
        Map<String, SpecNode.Entry> written = new LinkedHashMap<>();
        List<Object> order = new ArrayList<>(); // written keys, and at the place of "<<" the list of its sources
        boolean merged = false;
        while (!parser.checkEvent(Event.ID.MappingEnd)) {
            Event keyEvent = parser.peekEvent();
            Location keyAt = at(keyEvent.getStartMark());
            // "<<" plain, or tagged !!merge (or the non-specific "!"), is a merge key, as go-yaml (Compose) reads it
            boolean mergeKey = keyEvent instanceof ScalarEvent k && k.getValue().equals("<<")
                    && (k.getTag() == null ? k.isPlain() : MERGE_TAGS.contains(k.getTag()));
            SpecNode keyNode = node(depth + 1);
            SpecNode value = node(depth + 1);
            if (mergeKey) {
                if (merged) {
                    duplicate(keyAt, "<<", "a mapping takes one merge key; list several sources as <<: [*a, *b]");
                } else {
                    merged = true;
                    order.add(mergeSources(value));
                }
                continue;
            }
            String key;
            if (keyNode instanceof SpecNode.Scalar s) key = s.text();
            else if (keyNode instanceof SpecNode.Null) key = keyEvent instanceof ScalarEvent k ? k.getValue() : "";
            else {
                problems.add(new Problem(Problem.Severity.ERROR, file, keyAt.line(), keyAt.column(), "",
                        "a key must be a single value, not a "
                                + (keyNode instanceof SpecNode.Mapping ? "mapping" : "list")));
                continue;
            }
            SpecNode.Entry earlier = written.get(key);
            if (earlier != null) {
                duplicate(keyAt, key, "duplicate key; first given at line " + earlier.keyLocation().line());
            } else {
                written.put(key, new SpecNode.Entry(keyAt, value));
                order.add(key);
            }
        }
        parser.getEvent();
        Map<String, SpecNode.Entry> entries = new LinkedHashMap<>();
        for (Object o : order) {
            if (o instanceof String key) {
                entries.put(key, written.get(key));
                continue;
            }
            @SuppressWarnings("unchecked")
            List<SpecNode.Mapping> sources = (List<SpecNode.Mapping>) o;
            for (SpecNode.Mapping source : sources) {
                source.entries().forEach((k, e) -> {
                    if (!written.containsKey(k)) entries.putIfAbsent(k, e);
                });
            }
        }
        int size = 1;
        for (SpecNode.Entry e : entries.values()) size += 1 + size(e.value());
        SpecNode node = new SpecNode.Mapping(at(start.getStartMark()), java.util.Collections.unmodifiableMap(entries));
        sizes.put(node, size);
        return node;
    }

    /** The mappings a merge key brings in, first (winning) first. */
    private List<SpecNode.Mapping> mergeSources(SpecNode value) {
        if (value instanceof SpecNode.Mapping m) return List.of(m);
        List<SpecNode.Mapping> out = new ArrayList<>();
        if (value instanceof SpecNode.Sequence s && s.items().stream().allMatch(i -> i instanceof SpecNode.Mapping)) {
            s.items().forEach(i -> out.add((SpecNode.Mapping) i));
            return out;
        }
        Location at = value.location();
        problems.add(new Problem(Problem.Severity.ERROR, file, at.line(), at.column(), "<<",
                "a merge key takes a mapping or a list of mappings, like <<: *defaults or <<: [*a, *b]"));
        return out;
    }

    private void duplicate(Location at, String key, String message) {
        problems.add(new Problem(Problem.Severity.ERROR, file, at.line(), at.column(), key, message));
    }

    /** A scalar typed by the YAML 1.2 core schema; an explicit core tag must fit its value. */
    private SpecNode scalar(ScalarEvent s) {
        Location at = at(s.getStartMark());
        String text = s.getValue();
        String tag = s.getTag();
        if (tag == null || tag.equals("!")) {
            if (tag != null || !s.isPlain()) return new SpecNode.Scalar(at, text, SpecNode.Scalar.Kind.STRING);
            if (NULL.matcher(text).matches()) return new SpecNode.Null(at);
            if (BOOL.matcher(text).matches()) return new SpecNode.Scalar(at, text, SpecNode.Scalar.Kind.BOOLEAN);
            if (INT.matcher(text).matches() || FLOAT.matcher(text).matches()) {
                return new SpecNode.Scalar(at, text, SpecNode.Scalar.Kind.NUMBER);
            }
            return new SpecNode.Scalar(at, text, SpecNode.Scalar.Kind.STRING);
        }
        String t = text.trim();
        switch (tag) {
            case CORE + "null" -> {
                if (NULL.matcher(t).matches()) return new SpecNode.Null(at);
            }
            case CORE + "bool" -> {
                if (BOOL.matcher(t).matches()) return new SpecNode.Scalar(at, t, SpecNode.Scalar.Kind.BOOLEAN);
            }
            case CORE + "int" -> {
                if (INT.matcher(t).matches()) return new SpecNode.Scalar(at, t, SpecNode.Scalar.Kind.NUMBER);
            }
            case CORE + "float" -> {
                if (INT.matcher(t).matches() || FLOAT.matcher(t).matches()) {
                    return new SpecNode.Scalar(at, t, SpecNode.Scalar.Kind.NUMBER);
                }
            }
            default -> {
                // !!str, and tags Compose gives a meaning of its own (!reset, !override): the text as written
                return new SpecNode.Scalar(at, text, SpecNode.Scalar.Kind.STRING);
            }
        }
        String name = tag.substring(CORE.length());
        problems.add(new Problem(Problem.Severity.ERROR, file, at.line(), at.column(), "",
                "the tag !!" + name + " does not fit its value (YAML 1.2 core schema)"));
        return new SpecNode.Scalar(at, text, SpecNode.Scalar.Kind.STRING);
    }

    private int size(SpecNode node) {
        Integer size = sizes.get(node);
        return size == null ? 1 : size;
    }

    private Refused refused(Mark mark, String message) {
        Location at = at(mark);
        return new Refused(new Problem(Problem.Severity.ERROR, file, at.line(), at.column(), "", message));
    }

    private Location at(Mark mark) {
        return mark == null ? new Location(file, 0, 0) : new Location(file, mark.getLine() + 1, mark.getColumn() + 1);
    }

    private static String firstLine(String message) {
        if (message == null) return "unreadable";
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).trim();
    }
}
