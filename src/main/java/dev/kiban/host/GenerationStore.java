package dev.kiban.host;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The numbered generations under {@code <root>/var/lib/kiban/generations/}: each holds a manifest and
 * a copy of every file as it was before that apply, so any generation can be undone byte for byte.
 */
public final class GenerationStore {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final Path root;
    private final Path dir;

    public GenerationStore(Path root) {
        this.root = root;
        this.dir = HostRoot.resolve(root, DirectoryLayout.GENERATIONS);
    }

    public List<Generation> list() throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        List<Generation> out = new ArrayList<>();
        try (Stream<Path> gens = Files.list(dir)) {
            for (Path g : gens.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                Path manifest = g.resolve("manifest.json");
                if (Files.isRegularFile(manifest)) out.add(JSON.readValue(manifest.toFile(), Generation.class));
            }
        }
        out.sort(Comparator.comparingInt(Generation::number));
        return out;
    }

    public Optional<Generation> get(int number) throws IOException {
        return list().stream().filter(g -> g.number() == number).findFirst();
    }

    /** Records the before-state of {@code paths} as generation N+1, status APPLYING, before anything changes. */
    public Generation begin(List<String> filePaths, List<String> dirPaths, String note) throws IOException {
        int number = list().stream().mapToInt(Generation::number).max().orElse(0) + 1;
        Path g = dir.resolve(String.valueOf(number));
        Files.createDirectories(g.resolve("before"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        List<Generation.Entry> entries = new ArrayList<>();
        // Directories this apply will create on the way (parents of files and layout directories), so
        // that undoing it leaves no empty directory behind.
        java.util.Set<String> missingParents = new java.util.TreeSet<>();
        for (String p : concat(filePaths, dirPaths)) {
            for (String parent = parentOf(p); !parent.equals("/"); parent = parentOf(parent)) {
                if (!Files.exists(HostRoot.resolve(root, parent)) && !dirPaths.contains(parent)) missingParents.add(parent);
            }
        }
        for (String p : missingParents) entries.add(new Generation.Entry(p, true, false, "", ""));
        for (String p : dirPaths) entries.add(entry(p, true));
        for (String p : filePaths) {
            Generation.Entry e = entry(p, false);
            entries.add(e);
            if (e.existed()) {
                Path copy = HostRoot.resolve(g.resolve("before"), p);
                Files.createDirectories(copy.getParent());
                Files.copy(HostRoot.resolve(root, p), copy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES,
                        LinkOption.NOFOLLOW_LINKS);
            }
        }
        Generation gen = new Generation(number, java.time.Instant.now().toString(), Generation.Status.APPLYING, entries, note);
        save(gen);
        return gen;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static String parentOf(String hostPath) {
        int slash = hostPath.lastIndexOf('/');
        return slash <= 0 ? "/" : hostPath.substring(0, slash);
    }

    private Generation.Entry entry(String hostPath, boolean directory) throws IOException {
        Optional<ObservedFile> now = ObservedFile.read(HostRoot.resolve(root, hostPath));
        return new Generation.Entry(hostPath, directory, now.isPresent(), now.map(ObservedFile::mode).orElse(""), now.map(ObservedFile::owner).orElse(""));
    }

    public void save(Generation gen) throws IOException {
        AtomicFile.write(dir.resolve(gen.number() + "/manifest.json"), JSON.writeValueAsString(gen).getBytes(StandardCharsets.UTF_8), "rw-------", false);
    }

    /** Puts every path of {@code gen} back as it was before it: restores copies, removes what it created. */
    public void undo(Generation gen) throws IOException {
        Path before = dir.resolve(gen.number() + "/before");
        List<Generation.Entry> files = gen.entries().stream().filter(e -> !e.directory()).toList();
        for (Generation.Entry e : files) {
            Path target = HostRoot.resolve(root, e.path());
            if (e.existed()) {
                byte[] content = Files.readAllBytes(HostRoot.resolve(before, e.path()));
                AtomicFile.write(target, content, e.mode(), false);
                FileOwnership.set(target, e.owner());
            } else {
                Files.deleteIfExists(target);
            }
        }
        List<Generation.Entry> dirs = new ArrayList<>(gen.entries().stream().filter(Generation.Entry::directory).toList());
        dirs.sort(Comparator.comparing(Generation.Entry::path).reversed());
        for (Generation.Entry e : dirs) {
            Path target = HostRoot.resolve(root, e.path());
            if (!e.existed()) {
                try (Stream<Path> s = Files.exists(target) ? Files.list(target) : Stream.empty()) {
                    if (Files.exists(target) && s.findAny().isEmpty()) Files.delete(target); // only if still empty: never delete data
                }
            } else if (Files.isDirectory(target)) {
                Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(e.mode()));
                FileOwnership.set(target, e.owner());
            }
        }
    }
}
