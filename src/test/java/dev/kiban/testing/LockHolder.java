package dev.kiban.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Another process holding the kernel lock on a file, as a second kiban would: kernel (fcntl) locks
 * are per process, so a lock taken in the test's own JVM would not stand for another kiban. A tiny
 * java program (source-file mode) locks the file, writes its pid into it, and waits until closed.
 */
public final class LockHolder implements AutoCloseable {
    private static final String SOURCE = """
            import java.nio.channels.FileChannel;
            import java.nio.file.Path;
            import java.nio.file.StandardOpenOption;
            public class Hold {
                public static void main(String[] a) throws Exception {
                    try (FileChannel ch = FileChannel.open(Path.of(a[0]), StandardOpenOption.CREATE,
                            StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                        ch.lock();
                        ch.truncate(0);
                        ch.write(java.nio.ByteBuffer.wrap((ProcessHandle.current().pid() + "\\n").getBytes()), 0);
                        System.out.println("locked");
                        System.out.flush();
                        System.in.read();
                    }
                }
            }
            """;
    private final Process process;

    private LockHolder(Process process) {
        this.process = process;
    }

    /** Starts the holder on {@code file} and returns once it holds the lock. */
    public static LockHolder hold(Path file) throws IOException {
        Path src = Files.createTempDirectory("kiban-lock-holder").resolve("Hold.java");
        Files.writeString(src, SOURCE);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), src.toString(), file.toString()).redirectErrorStream(true)
                .start();
        BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = in.readLine();
        if (!"locked".equals(line)) {
            p.destroyForcibly();
            throw new IOException("the lock holder did not lock " + file + ": " + line);
        }
        return new LockHolder(p);
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() throws Exception {
        process.getOutputStream().close();
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    }
}
