package dev.kiban.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.kiban.spec.SpecNode.Location;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads YAML text into a {@link SpecNode} tree with Jackson's streaming parser, keeping each token's
 * place. Syntax errors and duplicate keys become {@link Problem}s rather than exceptions, so a spec
 * with several mistakes reports them together where it can.
 */
public final class SpecReader {
    private static final YAMLFactory YAML = new YAMLFactory();

    private final String file;
    private final List<Problem> problems;

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
        try (JsonParser p = YAML.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                problems.add(new Problem(Problem.Severity.ERROR, file, 1, 1, "", "the file is empty; run 'kiban spec init' for a complete spec"));
                return null;
            }
            SpecNode root = node(p);
            if (p.nextToken() != null) {
                Location at = at(p.currentTokenLocation());
                problems.add(new Problem(Problem.Severity.ERROR, file, at.line(), at.column(), "", "only one YAML document is allowed in a spec"));
            }
            return root;
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            problems.add(new Problem(Problem.Severity.ERROR, file, loc == null ? 0 : loc.getLineNr(), loc == null ? 0 : loc.getColumnNr(), "",
                    "YAML syntax: " + firstLine(e.getOriginalMessage())));
            return null;
        } catch (IOException e) {
            throw new SpecException(file + ": cannot read: " + e.getMessage());
        }
    }

    private SpecNode node(JsonParser p) throws IOException {
        Location at = at(p.currentTokenLocation());
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                Map<String, SpecNode.Entry> entries = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    Location keyAt = at(p.currentTokenLocation());
                    p.nextToken();
                    SpecNode value = node(p);
                    SpecNode.Entry earlier = entries.get(key);
                    if (earlier != null) {
                        problems.add(new Problem(Problem.Severity.ERROR, file, keyAt.line(), keyAt.column(), key,
                                "duplicate key; first given at line " + earlier.keyLocation().line()));
                    } else {
                        entries.put(key, new SpecNode.Entry(keyAt, value));
                    }
                }
                return new SpecNode.Mapping(at, entries);
            }
            case START_ARRAY -> {
                List<SpecNode> items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) items.add(node(p));
                return new SpecNode.Sequence(at, items);
            }
            case VALUE_NULL -> {
                return new SpecNode.Null(at);
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return new SpecNode.Scalar(at, p.getText(), SpecNode.Scalar.Kind.BOOLEAN);
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                return new SpecNode.Scalar(at, p.getText(), SpecNode.Scalar.Kind.NUMBER);
            }
            default -> {
                return new SpecNode.Scalar(at, p.getText(), SpecNode.Scalar.Kind.STRING);
            }
        }
    }

    private Location at(JsonLocation loc) {
        return new Location(file, loc.getLineNr(), loc.getColumnNr());
    }

    private static String firstLine(String message) {
        if (message == null) return "unreadable";
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).trim();
    }
}
