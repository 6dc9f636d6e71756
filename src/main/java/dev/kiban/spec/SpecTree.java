package dev.kiban.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Specs as Jackson trees, for {@code spec show} in YAML or JSON. Secrets are masked on the way: a
 * literal is printed as {@code <secret>}, references as written.
 */
public final class SpecTree {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private SpecTree() {}

    /** A bound spec (or any part of it), keys as in the YAML. */
    public static JsonNode of(Object value) {
        if (value == null) return NODES.nullNode();
        if (value instanceof Optional<?> o) return o.map(SpecTree::of).orElse(NODES.nullNode());
        if (value instanceof Boolean b) return NODES.booleanNode(b);
        if (value instanceof Integer i) return NODES.numberNode(i);
        if (value instanceof Long l) return NODES.numberNode(l);
        if (value instanceof Double d) return d == Math.rint(d) ? NODES.numberNode(d.longValue()) : NODES.numberNode(d);
        if (value instanceof Enum<?> e) return NODES.textNode(SpecBinder.enumKey(e));
        if (value instanceof List<?> list) {
            ArrayNode out = NODES.arrayNode();
            list.forEach(v -> out.add(of(v)));
            return out;
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode out = NODES.objectNode();
            map.entrySet().stream().sorted(Map.Entry.comparingByKey((a, b) -> a.toString().compareTo(b.toString())))
                    .forEach(e -> out.set(e.getKey().toString(), of(e.getValue())));
            return out;
        }
        // Sections of the spec become mappings; value types (ByteSize, Cidr, ...) print as written.
        if (value instanceof PlatformSpec || value.getClass().isRecord()
                && value.getClass().getEnclosingClass() == PlatformSpec.class) {
            ObjectNode out = NODES.objectNode();
            for (RecordComponent c : value.getClass().getRecordComponents()) {
                try {
                    out.set(SpecBinder.keyOf(c), of(c.getAccessor().invoke(value)));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
            return out;
        }
        return NODES.textNode(value.toString());
    }

    /** The tree as written in a file, with secret values masked. */
    public static JsonNode of(SpecNode node) {
        return written(node, "");
    }

    private static JsonNode written(SpecNode node, String path) {
        if (node instanceof SpecNode.Mapping m) {
            ObjectNode out = NODES.objectNode();
            m.entries().forEach((k, e) -> out.set(k, written(e.value(), path.isEmpty() ? k : path + "." + k)));
            return out;
        }
        if (node instanceof SpecNode.Sequence s) {
            ArrayNode out = NODES.arrayNode();
            s.items().forEach(i -> out.add(written(i, path + "[]")));
            return out;
        }
        if (node instanceof SpecNode.Scalar s) {
            if (SpecDocument.SECRET_PATHS.contains(path)) return NODES.textNode(SecretRef.parse(s.text()).toString());
            return switch (s.kind()) {
                case BOOLEAN -> NODES.booleanNode(Boolean.parseBoolean(s.text()));
                case NUMBER -> s.text().matches("-?\\d+") ? NODES.numberNode(Long.parseLong(s.text()))
                        : NODES.numberNode(Double.parseDouble(s.text()));
                default -> NODES.textNode(s.text());
            };
        }
        return NODES.nullNode();
    }
}
