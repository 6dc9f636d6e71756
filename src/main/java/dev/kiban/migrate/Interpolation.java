package dev.kiban.migrate;

import dev.kiban.spec.SpecNode;
import dev.kiban.spec.SpecNode.Mapping;
import dev.kiban.spec.SpecNode.Scalar;
import dev.kiban.spec.SpecNode.Sequence;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compose's variable substitution, as {@code docker compose} does it at deploy time: {@code $VAR},
 * {@code ${VAR}}, {@code ${VAR:-default}}, {@code ${VAR-default}}, {@code ${VAR:?message}},
 * {@code ${VAR?message}}, {@code $$} for a dollar. The values come from the files kiban reads (the design's
 * {@code common/.env} and the stack's own {@code .env}), never from kiban's own environment, so the output
 * is the same wherever it runs. Pure: a new tree with every place kept, and per scalar the variables it used.
 */
final class Interpolation {
    private static final Pattern REF = Pattern.compile(
            "\\$(?:\\$|\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?}|([A-Za-z_][A-Za-z0-9_]*))");

    /** What one substitution used: variables set, unset (empty or their default), required but unset. */
    static final class Use {
        final Set<String> used = new LinkedHashSet<>();
        final Set<String> unset = new LinkedHashSet<>();
        final List<String> required = new ArrayList<>();

        boolean any() {
            return !used.isEmpty() || !unset.isEmpty() || !required.isEmpty();
        }
    }

    private final Map<String, String> variables;
    /** Every scalar that was substituted, with the variables it named. */
    final Map<SpecNode, Set<String>> named = new IdentityHashMap<>();

    Interpolation(Map<String, String> variables) {
        this.variables = Map.copyOf(variables);
    }

    /** The tree with every scalar value substituted (keys are not, as in compose); {@code use} collects. */
    SpecNode apply(SpecNode node, Use use) {
        if (node instanceof Scalar s && s.kind() == Scalar.Kind.STRING && s.text().indexOf('$') >= 0) {
            Set<String> names = new LinkedHashSet<>();
            String text = substitute(s.text(), use, names);
            Scalar out = new Scalar(s.location(), text, Scalar.Kind.STRING);
            if (!names.isEmpty()) named.put(out, names);
            return out;
        }
        if (node instanceof Mapping m) {
            Map<String, SpecNode.Entry> entries = new LinkedHashMap<>();
            m.entries().forEach((k, e) -> entries.put(k, new SpecNode.Entry(e.keyLocation(), apply(e.value(), use))));
            return new Mapping(m.location(), java.util.Collections.unmodifiableMap(entries));
        }
        if (node instanceof Sequence q) {
            List<SpecNode> items = new ArrayList<>();
            q.items().forEach(i -> items.add(apply(i, use)));
            return new Sequence(q.location(), List.copyOf(items));
        }
        return node;
    }

    private String substitute(String text, Use use, Set<String> names) {
        Matcher m = REF.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(4);
            String replacement;
            if (name == null) {
                replacement = "$";
            } else {
                names.add(name);
                String op = m.group(2);
                String arg = m.group(3) == null ? "" : m.group(3);
                String value = variables.get(name);
                boolean empty = value == null || value.isEmpty();
                boolean missing = op != null && op.startsWith(":") ? empty : value == null;
                if (!missing) {
                    use.used.add(name);
                    replacement = value;
                } else if (op != null && op.endsWith("?")) {
                    use.required.add(name + (arg.isEmpty() ? "" : ": " + arg));
                    replacement = "";
                } else {
                    use.unset.add(name);
                    replacement = op != null && op.endsWith("-") ? arg : "";
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}
