package dev.kiban.testing;

import dev.kiban.os.HostPrograms;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Host programs for tests: the named ones are "installed" in /usr/bin (under any root), and running one
 * returns what the test's answer says. Keeps every command line it was asked to run.
 */
public final class FakePrograms implements HostPrograms {
    /** What a program run returns (or throws, like a program that cannot be started). */
    @FunctionalInterface
    public interface Answer {
        Result run(List<String> argv, Duration timeout) throws IOException;
    }

    private final Collection<String> installed;
    private final Answer answer;
    private final List<List<String>> ran = new ArrayList<>();

    public FakePrograms(Collection<String> installed, Answer answer) {
        this.installed = installed;
        this.answer = answer;
    }

    /** Nothing installed: every lookup comes back empty. */
    public static FakePrograms none() {
        return new FakePrograms(List.of(), (argv, t) -> {
            throw new AssertionError("nothing is installed, yet asked to run " + argv);
        });
    }

    /** The given programs, each answering with {@code exit} and {@code output}. */
    public static FakePrograms answering(Collection<String> installed, int exit, String output) {
        return new FakePrograms(installed, (argv, t) -> new Result(exit, output));
    }

    @Override
    public Optional<Path> find(String program) {
        return installed.contains(program) ? Optional.of(Path.of("/usr/bin", program)) : Optional.empty();
    }

    @Override
    public Optional<Path> findUnder(Path root, String program) {
        return find(program);
    }

    @Override
    public Result run(List<String> argv, Map<String, String> environment, Duration timeout) throws IOException {
        ran.add(List.copyOf(argv));
        return answer.run(argv, timeout);
    }

    public List<List<String>> ran() {
        return List.copyOf(ran);
    }
}
