package dev.kiban.spec;

import dev.kiban.spec.Problem.Severity;
import dev.kiban.spec.SpecNode.Mapping;
import dev.kiban.spec.SpecNode.Null;
import dev.kiban.spec.SpecNode.Scalar;
import dev.kiban.spec.SpecNode.Sequence;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Maps a {@link SpecNode} tree onto the {@link PlatformSpec} records, collecting every problem instead
 * of stopping at the first: unknown keys (with the nearest known key), missing keys, wrong kinds of
 * node, and values that their type's parser refuses (sizes, durations, CIDRs, ports, schedules).
 * The records themselves are the schema, so a new key needs only a new record component.
 */
final class SpecBinder {
    private static final Map<Class<?>, Function<String, Object>> PARSERS = Map.ofEntries(
            Map.entry(String.class, s -> s),
            Map.entry(ByteSize.class, ByteSize::parse),
            Map.entry(TimeSpan.class, TimeSpan::parse),
            Map.entry(Percent.class, Percent::parse),
            Map.entry(Cidr.class, Cidr::parse),
            Map.entry(PortRange.class, PortRange::parse),
            Map.entry(Schedule.class, Schedule::parse),
            Map.entry(SecretRef.class, SecretRef::parse),
            Map.entry(HostAddress.class, HostAddress::parse),
            Map.entry(ListenAddress.class, ListenAddress::parse),
            Map.entry(HostPath.class, HostPath::parse),
            Map.entry(Tristate.class, Tristate::parse));

    private final Locator locator;
    private final List<Problem> problems;
    private int errors;

    SpecBinder(Locator locator, List<Problem> problems) {
        this.locator = locator;
        this.problems = problems;
    }

    /** The bound spec, or empty when any error was found (all of them are in the problem list). */
    <T> Optional<T> bind(SpecNode root, Class<T> type) {
        Object value = value(root, type, "");
        return errors == 0 && value != null ? Optional.of(type.cast(value)) : Optional.empty();
    }

    private Object value(SpecNode node, Type type, String path) {
        Class<?> raw = raw(type);
        if (raw == Optional.class) {
            if (node == null || node instanceof Null) return Optional.empty();
            return Optional.ofNullable(value(node, argument(type, 0), path));
        }
        if (node == null) {
            error(path, "missing key");
            return null;
        }
        if (node instanceof Null) {
            error(path, "a value is required here (null is allowed only for optional keys)");
            return null;
        }
        if (raw.isRecord() && !PARSERS.containsKey(raw)) return record(node, raw, path);
        if (raw == List.class) return list(node, argument(type, 0), path);
        if (raw == Map.class) return map(node, argument(type, 1), path);
        if (!(node instanceof Scalar scalar)) {
            error(path, "expected " + describe(raw) + ", got a " + (node instanceof Mapping ? "mapping" : "list"));
            return null;
        }
        return scalar(scalar, raw, path);
    }

    private Object record(SpecNode node, Class<?> type, String path) {
        if (!(node instanceof Mapping mapping)) {
            error(path, "expected a mapping of " + keysOf(type) + ", got " + kindOf(node));
            return null;
        }
        RecordComponent[] components = type.getRecordComponents();
        List<String> known = Arrays.stream(components).map(SpecBinder::keyOf).toList();
        mapping.entries().keySet().stream()
                .filter(k -> !known.contains(k))
                .forEach(k -> error(child(path, k), "unknown key"
                        + Suggestion.nearest(k, known).map(s -> "; did you mean '" + s + "'?").orElse(
                        " (known here: " + String.join(", ", known) + ")")));
        int before = errors;
        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            String key = keyOf(components[i]);
            args[i] = value(mapping.get(key), components[i].getGenericType(), child(path, key));
        }
        if (errors > before) return null;
        try {
            Constructor<?> ctor = type.getDeclaredConstructor(Arrays.stream(components).map(RecordComponent::getType)
                    .toArray(Class<?>[]::new));
            return ctor.newInstance(args);
        } catch (InvocationTargetException e) {
            error(path, e.getCause() instanceof IllegalArgumentException && e.getCause().getMessage() != null
                    ? e.getCause().getMessage() : "these values do not fit together");
            return null;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("spec record " + type.getName() + " cannot be built", e);
        }
    }

    private Object list(SpecNode node, Type itemType, String path) {
        if (!(node instanceof Sequence seq)) {
            error(path, "expected a list, got " + kindOf(node));
            return null;
        }
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < seq.items().size(); i++) out.add(value(seq.items().get(i), itemType, path + "[" + i + "]"));
        return out.contains(null) ? null : List.copyOf(out);
    }

    private Object map(SpecNode node, Type valueType, String path) {
        if (!(node instanceof Mapping mapping)) {
            error(path, "expected a mapping, got " + kindOf(node));
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (String k : mapping.entries().keySet()) {
            // keys of free-form maps (sysctl names, ulimits, port classes) are written into files too
            Optional<String> control = SpecText.controlCharacter(k);
            if (control.isPresent()) {
                error(path, "a key " + control.get());
                return null;
            }
        }
        mapping.entries().forEach((k, e) -> out.put(k, value(e.value(), valueType, child(path, k))));
        return out.containsValue(null) ? null : java.util.Collections.unmodifiableMap(out); // keeps the file's order
    }

    private Object scalar(Scalar scalar, Class<?> type, String path) {
        String text = scalar.text();
        // No spec value has a use for a control character, and every consumer (a unit line, a config
        // line, an SMTP command) would read a newline as the start of its next directive.
        Optional<String> control = SpecText.controlCharacter(text);
        if (control.isPresent()) {
            error(path, control.get());
            return null;
        }
        try {
            if (type == boolean.class || type == Boolean.class) {
                if (scalar.kind() != Scalar.Kind.BOOLEAN) {
                    throw new IllegalArgumentException("expected true or false, got \"" + text + "\"");
                }
                return Boolean.parseBoolean(text);
            }
            if (type == int.class || type == Integer.class) {
                return wholeNumber(text, Integer.MIN_VALUE, Integer.MAX_VALUE).intValue();
            }
            if (type == long.class || type == Long.class) return wholeNumber(text, Long.MIN_VALUE, Long.MAX_VALUE);
            if (type == double.class || type == Double.class) return number(text);
            if (type.isEnum()) return enumConstant(type, text);
            Function<String, Object> parser = PARSERS.get(type);
            if (parser == null) throw new IllegalStateException("no parser for spec type " + type.getName());
            if ((type == String.class || type == SecretRef.class) && Placeholder.is(text)) {
                warning(path, text
                        + " is a placeholder the design leaves open; set it before using the commands that need it");
            }
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            error(path, e.getMessage());
            return null;
        } catch (RuntimeException e) {
            // a parser's own failure (an overflow, say) is still this key's problem, not a crash
            error(path, "cannot read this value (malformed or out of range)");
            return null;
        }
    }

    private static Long wholeNumber(String text, long min, long max) {
        try {
            long v = Long.parseLong(text.trim().replace("_", ""));
            if (v < min || v > max) throw new IllegalArgumentException(text + " is too large");
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a whole number, got \"" + text + "\"");
        }
    }

    private static double number(String text) {
        try {
            double v = Double.parseDouble(text.trim());
            if (Double.isNaN(v) || Double.isInfinite(v)) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a number like 4 or 1.5, got \"" + text + "\"");
        }
    }

    private static Object enumConstant(Class<?> type, String text) {
        List<String> names = Arrays.stream(type.getEnumConstants()).map(c -> enumKey((Enum<?>) c)).toList();
        int i = names.indexOf(text.trim());
        if (i < 0) {
            throw new IllegalArgumentException("expected one of " + String.join(", ", names) + ", got \"" + text + "\""
                    + Suggestion.nearest(text.trim(), names).map(s -> "; did you mean '" + s + "'?").orElse(""));
        }
        return type.getEnumConstants()[i];
    }

    /** An enum constant as written in the spec: {@code CONTAINER_DOWN} is {@code container-down}. */
    static String enumKey(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static String keyOf(RecordComponent c) {
        Key key = c.getAnnotation(Key.class);
        return key != null ? key.value() : c.getName();
    }

    private static String keysOf(Class<?> type) {
        return String.join(", ", Arrays.stream(type.getRecordComponents()).map(SpecBinder::keyOf).toList());
    }

    private static String describe(Class<?> type) {
        if (type == boolean.class || type == Boolean.class) return "true or false";
        if (type == int.class || type == long.class || type == Integer.class) return "a whole number";
        if (type == double.class) return "a number";
        return "a single value";
    }

    private static String kindOf(SpecNode node) {
        if (node instanceof Mapping) return "a mapping";
        if (node instanceof Sequence) return "a list";
        if (node instanceof Scalar s) return "\"" + s.text() + "\"";
        return "null";
    }

    private static Class<?> raw(Type type) {
        return type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
    }

    private static Type argument(Type type, int index) {
        return ((ParameterizedType) type).getActualTypeArguments()[index];
    }

    private static String child(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private void error(String path, String message) {
        errors++;
        problems.add(locator.problem(Severity.ERROR, path, message));
    }

    private void warning(String path, String message) {
        problems.add(locator.problem(Severity.WARNING, path, message));
    }
}
