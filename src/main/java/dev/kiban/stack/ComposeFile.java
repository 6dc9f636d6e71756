package dev.kiban.stack;

import dev.kiban.spec.Problem;
import dev.kiban.spec.SpecNode;
import dev.kiban.spec.SpecReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** One compose file of a stack, read with the place of every key, and the stack it belongs to. */
public record ComposeFile(String stack, String file, SpecNode tree) {
    public static final List<String> NAMES = List.of("docker-compose.yml", "docker-compose.yaml", "compose.yml",
            "compose.yaml");

    /** Reads a file; a YAML error becomes a problem and the file is left out. */
    public static List<ComposeFile> read(Path path, String stack, List<Problem> problems) throws IOException {
        SpecNode tree = SpecReader.read(path.toString(), Files.readString(path), problems);
        return tree == null ? List.of() : List.of(new ComposeFile(stack, path.toString(), tree));
    }

    /**
     * A file, or a directory laid out as {@code <dir>/<stack>/docker-compose.yml} (the compose tree of
     * R4.1), or a directory holding a compose file itself.
     */
    public static List<ComposeFile> find(Path fileOrDir, List<Problem> problems) throws IOException {
        if (Files.isRegularFile(fileOrDir)) {
            Path parent = fileOrDir.toAbsolutePath().getParent();
            return read(fileOrDir, parent == null ? "stack" : parent.getFileName().toString(), problems);
        }
        if (!Files.isDirectory(fileOrDir)) {
            throw new java.io.FileNotFoundException(fileOrDir + ": no such file or directory");
        }
        List<ComposeFile> out = new ArrayList<>();
        for (String name : NAMES) {
            if (Files.isRegularFile(fileOrDir.resolve(name))) {
                out.addAll(read(fileOrDir.resolve(name), fileOrDir.toAbsolutePath().getFileName().toString(),
                        problems));
            }
        }
        try (Stream<Path> dirs = Files.list(fileOrDir)) {
            for (Path d : dirs.filter(Files::isDirectory).sorted().toList()) {
                for (String name : NAMES) {
                    if (Files.isRegularFile(d.resolve(name))) {
                        out.addAll(read(d.resolve(name), d.getFileName().toString(), problems));
                    }
                }
            }
        }
        return out;
    }
}
