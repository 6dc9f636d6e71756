package dev.kiban.backup;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One writer at a time: {@code <repository>/lock} holds the writer's host and pid. A lock whose process
 * is gone on this host is stale and taken over; a live one is refused with who holds it.
 */
public final class RepositoryLock implements AutoCloseable {
    private final Path file;

    private RepositoryLock(Path file) {
        this.file = file;
    }

    public static RepositoryLock acquire(Path repository) throws IOException {
        Path file = repository.resolve("lock");
        String me = host() + " " + ProcessHandle.current().pid();
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                Files.writeString(file, me + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                return new RepositoryLock(file);
            } catch (FileAlreadyExistsException e) {
                String holder = Files.readString(file).strip();
                String[] parts = holder.split(" ");
                boolean stale = parts.length == 2 && parts[0].equals(host())
                        && ProcessHandle.of(Long.parseLong(parts[1])).map(ProcessHandle::isAlive).orElse(false) == false;
                if (!stale) throw new IOException("the repository " + repository + " is locked by " + holder + " (another backup is running)");
                Files.deleteIfExists(file); // its process is gone: a run that was killed
            }
        }
        throw new IOException("could not lock " + repository);
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    @Override
    public void close() throws IOException {
        Files.deleteIfExists(file);
    }
}
