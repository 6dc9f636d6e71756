package dev.kiban.spec;

import dev.kiban.failure.SpecProblem;
import java.util.List;

/** The spec cannot be used as it stands: unreadable, invalid, or missing a value a command needs. */
public class SpecException extends SpecProblem {
    private final transient List<Problem> problems;

    public SpecException(String message) {
        this(message, List.of());
    }

    public SpecException(String message, List<Problem> problems) {
        super(message);
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }

    @Override
    public List<String> details() {
        return problems.stream().map(Problem::toString).toList();
    }
}
