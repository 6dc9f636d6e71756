package dev.kiban.spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A spec file read, laid over the built-in defaults, bound and checked. Holds every problem found;
 * {@link #require()} hands out the spec only when there is no error.
 */
public final class SpecDocument {
    /** The name under which the built-in spec is reported (and accepted by {@code -c}). */
    public static final String BUILTIN = "builtin";
    private static final String DEFAULTS_RESOURCE = "kiban.yaml";
    /** The keys that hold secrets: never printed as written. */
    static final List<String> SECRET_PATHS = List.of("monitor.channels.discord.webhook",
            "monitor.channels.mail.password", "monitor.channels.webhook.url", "backup.encryptionKey");

    private final String file;
    private final SpecNode written;
    private final SpecNode effective;
    private final PlatformSpec spec;
    private final List<Problem> problems;

    private SpecDocument(String file, SpecNode written, SpecNode effective, PlatformSpec spec, List<Problem> problems) {
        this.file = file;
        this.written = written;
        this.effective = effective;
        this.spec = spec;
        this.problems = problems;
    }

    /** The commented spec that {@code kiban spec init} writes: the design, value for value. */
    public static String defaultText() {
        try (InputStream in = SpecDocument.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
            if (in == null) throw new IllegalStateException("built-in spec missing from the kiban jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static SpecDocument builtin() {
        return parse(BUILTIN, defaultText(), false);
    }

    /**
     * Reads {@code text} (named {@code file} in problems). {@code readableByOthers} says whether the
     * file may be read by other users, which matters when it holds literal secrets.
     */
    public static SpecDocument parse(String file, String text, boolean readableByOthers) {
        List<Problem> problems = new ArrayList<>();
        SpecNode written = new SpecReader(file, problems).read(text);
        SpecNode defaults = new SpecReader("builtin:" + DEFAULTS_RESOURCE, new ArrayList<>()).read(defaultText());
        PlatformSpec spec = null;
        SpecNode effective = null;
        if (written != null) {
            if (!(written instanceof SpecNode.Mapping)) {
                problems.add(new Problem(Problem.Severity.ERROR, file, written.location().line(),
                        written.location().column(), "",
                        "a spec is a mapping of keys (apiVersion, kind, host, ...); run 'kiban spec init' for a "
                                + "complete one"));
            } else {
                effective = SpecNode.merge(defaults, written);
                Locator locator = new Locator(file, written);
                spec = new SpecBinder(locator, problems).bind(effective, PlatformSpec.class).orElse(null);
                if (spec != null) {
                    try {
                        new SpecRules(spec, locator, problems).check();
                    } catch (RuntimeException e) {
                        // a rule that cannot cope with a value must still end in a spec error, not a crash
                        problems.add(new Problem(Problem.Severity.ERROR, file, 0, 0, "",
                                "the spec could not be checked; a value is malformed"));
                    }
                    if (readableByOthers) literalSecrets(written, locator, problems);
                }
            }
        }
        problems.sort(Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column));
        boolean errors = problems.stream().anyMatch(Problem::isError);
        return new SpecDocument(file, written, effective, errors ? null : spec, List.copyOf(problems));
    }

    private static void literalSecrets(SpecNode written, Locator locator, List<Problem> problems) {
        for (String path : SECRET_PATHS) {
            SpecNode node = written;
            for (String key : path.split("\\.")) node = node instanceof SpecNode.Mapping m ? m.get(key) : null;
            if (node instanceof SpecNode.Scalar s && SecretRef.parse(s.text()).kind() == SecretRef.Kind.LITERAL) {
                problems.add(locator.problem(Problem.Severity.WARNING, path,
                        "a literal secret in a file other users can read; chmod 600 the spec or use env:NAME or "
                                + "file:/path"));
            }
        }
    }

    public String file() {
        return file;
    }

    public List<Problem> problems() {
        return problems;
    }

    public boolean hasErrors() {
        return problems.stream().anyMatch(Problem::isError);
    }

    /** The same problems with warnings counted as errors ({@code --strict}). */
    public List<Problem> strictProblems() {
        return problems.stream().map(Problem::asError).toList();
    }

    /** The spec when it has no errors. */
    public Optional<PlatformSpec> spec() {
        return Optional.ofNullable(spec);
    }

    /** The spec, or a {@link SpecException} carrying every error. */
    public PlatformSpec require() {
        if (spec != null) return spec;
        List<Problem> errors = problems.stream().filter(Problem::isError).toList();
        throw new SpecException(file + ": the spec has " + errors.size() + " error" + (errors.size() == 1 ? "" : "s")
                + "; run 'kiban spec validate' to see them", errors);
    }

    /**
     * The line of the file that governs a key path ({@code engine.liveRestore}): the key itself when the file
     * writes it, else the nearest enclosing key it writes; empty when it writes none of them.
     */
    public Optional<SpecNode.Location> locate(String path) {
        return written == null ? Optional.empty() : new Locator(file, written).location(path);
    }

    /** What the file itself says (null when it could not be read). */
    public SpecNode written() {
        return written;
    }

    /** The file laid over the built-in defaults (null when it could not be read). */
    public SpecNode effective() {
        return effective;
    }
}
