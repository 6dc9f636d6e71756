package dev.kiban.migrate;

import dev.kiban.spec.Problem;
import dev.kiban.spec.SpecNode;
import dev.kiban.spec.SpecReader;
import dev.kiban.spec.SpecText;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The edge of {@code kiban migrate}: finds the compose files (a stack's name under the compose tree
 * {@code <tree>/<stack>/docker-compose.yml}, a file, or a directory of stacks) and reads them and the
 * env files they name. It follows no symbolic link (a link is refused, never read through: kiban did
 * not make it), reads at most {@link #MAX_BYTES} of a file, and reads an env file only inside the
 * compose tree, so {@code ../common/.env} (the design's shared file) is read and {@code ../../etc/shadow}
 * is refused.
 */
public final class StackFiles {
    /** Far above any compose or env file; a larger one is refused before it is parsed. */
    public static final int MAX_BYTES = 1 << 20;
    public static final List<String> NAMES = List.of("docker-compose.yml", "docker-compose.yaml", "compose.yml",
            "compose.yaml");
    private static final Pattern STACK = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");

    private StackFiles() {}

    /**
     * The stacks {@code targets} name (each a stack name, a compose file or a directory of stacks), or
     * every stack of the compose tree when there are none. What cannot be read becomes a problem.
     */
    public static List<StackSource> find(List<String> targets, Path tree, List<Problem> problems) throws IOException {
        List<StackSource> out = new ArrayList<>();
        if (targets.isEmpty()) {
            stacksIn(tree, problems, out);
            return out;
        }
        for (String t : targets) {
            Path p = Path.of(t);
            Optional<BasicFileAttributes> at = lstat(p);
            if (at.isPresent() && at.get().isSymbolicLink()) {
                problems.add(problem(t, "is a symbolic link; kiban reads no file through a link it did not make"));
            } else if (at.isPresent() && at.get().isDirectory()) {
                stacksIn(p, problems, out);
            } else if (at.isPresent()) {
                Path parent = p.toAbsolutePath().normalize().getParent();
                String stack = parent == null || parent.getFileName() == null ? "stack"
                        : parent.getFileName().toString();
                Path root = parent.getParent() == null ? parent : parent.getParent();
                read(p, stack, root, problems).ifPresent(out::add);
            } else if (STACK.matcher(t).matches()) {
                Optional<Path> file = composeFileOf(tree.resolve(t), problems);
                if (file.isEmpty()) {
                    problems.add(problem(t, "no stack of that name: no " + NAMES.get(0) + " under "
                            + tree.resolve(t)));
                } else {
                    read(file.get(), t, tree, problems).ifPresent(out::add);
                }
            } else {
                problems.add(problem(SpecText.shown(t), "no such file, directory or stack"));
            }
        }
        return out;
    }

    private static void stacksIn(Path tree, List<Problem> problems, List<StackSource> out) throws IOException {
        Optional<BasicFileAttributes> at = lstat(tree);
        if (at.isEmpty() || !at.get().isDirectory()) {
            problems.add(problem(tree.toString(), "the compose tree is not a directory (a link is not followed)"));
            return;
        }
        List<Path> dirs;
        try (Stream<Path> s = Files.list(tree)) {
            dirs = s.sorted().toList();
        }
        for (Path d : dirs) {
            Optional<BasicFileAttributes> da = lstat(d);
            if (da.isEmpty() || !da.get().isDirectory() || d.getFileName().toString().equals("common")) continue;
            composeFileOf(d, problems).ifPresent(f -> {
                try {
                    read(f, d.getFileName().toString(), tree, problems).ifPresent(out::add);
                } catch (IOException e) {
                    problems.add(problem(f.toString(), "cannot be read: " + e.getClass().getSimpleName()));
                }
            });
        }
    }

    private static Optional<Path> composeFileOf(Path dir, List<Problem> problems) throws IOException {
        for (String name : NAMES) {
            Path f = dir.resolve(name);
            Optional<BasicFileAttributes> at = lstat(f);
            if (at.isEmpty()) continue;
            if (at.get().isSymbolicLink()) {
                problems.add(problem(f.toString(), "is a symbolic link; kiban reads no file through a link it did"
                        + " not make"));
                return Optional.empty();
            }
            return Optional.of(f);
        }
        return Optional.empty();
    }

    /** One compose file, its env files read from inside {@code root}. */
    static Optional<StackSource> read(Path file, String stack, Path root, List<Problem> problems) throws IOException {
        String name = file.toString();
        Optional<String> text = readText(file);
        if (text.isEmpty()) {
            problems.add(problem(name, why(file)));
            return Optional.empty();
        }
        SpecNode tree = SpecReader.read(name, text.get(), problems);
        if (tree == null) return Optional.empty();
        Map<String, StackSource.EnvFile> envFiles = new LinkedHashMap<>();
        for (String written : envFilesNamed(tree)) {
            envFiles.put(written, envFile(file, root, written));
        }
        Map<String, String> variables = new LinkedHashMap<>();
        List<String> variableFiles = new ArrayList<>();
        for (String written : List.of("../common/.env", ".env")) {
            StackSource.EnvFile f = envFile(file, root, written);
            if (f instanceof StackSource.EnvFile.Read r) {
                r.vars().stream().filter(v -> v.value() != null).forEach(v -> variables.put(v.name(), v.value()));
                variableFiles.add(written);
            } else if (f instanceof StackSource.EnvFile.Refused r && !r.why().equals("no such file")
                    && !(written.startsWith("..") && r.why().startsWith("resolves outside"))) {
                problems.add(problem(file.toAbsolutePath().normalize().getParent().resolve(written).normalize()
                        .toString(), r.why()));
                return Optional.empty();
            }
        }
        return Optional.of(new StackSource(stack, name, tree, envFiles, variables, variableFiles));
    }

    private static String why(Path file) throws IOException {
        Optional<BasicFileAttributes> at = lstat(file);
        if (at.isEmpty()) return "no such file";
        if (at.get().isSymbolicLink()) return "is a symbolic link; kiban reads no file through a link it did not make";
        if (!at.get().isRegularFile()) return "is not a regular file";
        if (at.get().size() > MAX_BYTES) return "is larger than " + MAX_BYTES / 1024 + " KiB; no compose file is";
        return "is not UTF-8 text";
    }

    /** The file's text: empty for a link, a non-regular file, one over MAX_BYTES, or bytes that are not UTF-8. */
    static Optional<String> readText(Path file) throws IOException {
        Optional<BasicFileAttributes> at = lstat(file);
        if (at.isEmpty() || !at.get().isRegularFile() || at.get().size() > MAX_BYTES) return Optional.empty();
        byte[] bytes;
        try (SeekableByteChannel ch = Files.newByteChannel(file, Set.of(StandardOpenOption.READ,
                LinkOption.NOFOLLOW_LINKS)); InputStream in = Channels.newInputStream(ch)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        }
        if (bytes.length > MAX_BYTES) return Optional.empty();
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    private static List<String> envFilesNamed(SpecNode tree) {
        List<String> out = new ArrayList<>();
        if (!(tree instanceof SpecNode.Mapping root) || !(root.get("services") instanceof SpecNode.Mapping services)) {
            return out;
        }
        for (SpecNode.Entry e : services.entries().values()) {
            if (!(e.value() instanceof SpecNode.Mapping svc)) continue;
            SpecNode env = svc.get("env_file");
            List<SpecNode> items = env instanceof SpecNode.Sequence s ? s.items() : env == null ? List.of()
                    : List.of(env);
            for (SpecNode i : items) {
                SpecNode p = i instanceof SpecNode.Mapping m ? m.get("path") : i;
                if (p instanceof SpecNode.Scalar s && !out.contains(s.text())) out.add(s.text());
            }
        }
        return out;
    }

    /** An env file: relative to the compose file, inside {@code root}, reached through no link. */
    static StackSource.EnvFile envFile(Path composeFile, Path root, String written) throws IOException {
        if (written.isEmpty() || written.indexOf('\0') >= 0 || written.startsWith("~")) {
            return new StackSource.EnvFile.Refused("not a path kiban reads");
        }
        Path base = composeFile.toAbsolutePath().normalize().getParent();
        Path top = root.toAbsolutePath().normalize();
        Path target;
        try {
            target = base.resolve(written).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            return new StackSource.EnvFile.Refused("not a path kiban reads");
        }
        if (!target.startsWith(top) || target.equals(top)) {
            return new StackSource.EnvFile.Refused("resolves outside the compose tree " + top
                    + "; kiban reads env files only inside it");
        }
        Path walk = top;
        for (Path part : top.relativize(target)) {
            walk = walk.resolve(part);
            Optional<BasicFileAttributes> at = lstat(walk);
            if (at.isEmpty()) return new StackSource.EnvFile.Refused("no such file");
            if (at.get().isSymbolicLink()) {
                return new StackSource.EnvFile.Refused("passes through a symbolic link; kiban does not follow it");
            }
        }
        Optional<String> text = readText(target);
        if (text.isEmpty()) return new StackSource.EnvFile.Refused(why(target));
        return new StackSource.EnvFile.Read(parseEnv(text.get()));
    }

    /** Compose's .env form: NAME=value, optional quotes, # comments, blank lines; a bare NAME has no value. */
    static List<StackSource.EnvVar> parseEnv(String text) {
        List<StackSource.EnvVar> out = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].strip();
            if (l.isEmpty() || l.startsWith("#")) continue;
            if (l.startsWith("export ")) l = l.substring("export ".length()).strip();
            int eq = l.indexOf('=');
            String name = (eq < 0 ? l : l.substring(0, eq)).strip();
            if (!VARIABLE.matcher(name).matches()) continue;
            String value = null;
            if (eq >= 0) {
                value = l.substring(eq + 1).strip();
                if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                        || value.startsWith("'") && value.endsWith("'"))) {
                    value = value.substring(1, value.length() - 1);
                } else {
                    int hash = value.indexOf(" #");
                    if (hash >= 0) value = value.substring(0, hash).strip();
                }
            }
            out.add(new StackSource.EnvVar(name, value, i + 1));
        }
        return out;
    }

    private static Optional<BasicFileAttributes> lstat(Path p) throws IOException {
        try {
            return Optional.of(Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
        } catch (java.nio.file.NoSuchFileException | java.nio.file.NotDirectoryException e) {
            return Optional.empty();
        }
    }

    private static Problem problem(String file, String message) {
        return new Problem(Problem.Severity.ERROR, file, 0, 0, "", message);
    }
}
