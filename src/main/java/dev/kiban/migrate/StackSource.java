package dev.kiban.migrate;

import dev.kiban.spec.SpecNode;
import java.util.List;
import java.util.Map;

/**
 * One compose file as read for the migration: the stack it is, its located tree, and every
 * {@code env_file} it names, already read (or refused, with why) by {@link StackFiles}, and the variables
 * for substitution ({@code ${VAR}}) from the design's {@code common/.env} and the stack's own {@code .env}
 * (which wins), so the mapping itself reads nothing.
 */
public record StackSource(String stack, String file, SpecNode tree, Map<String, EnvFile> envFiles,
        Map<String, String> variables, List<String> variableFiles) {

    /** A stack whose compose file names no variable file. */
    public StackSource(String stack, String file, SpecNode tree, Map<String, EnvFile> envFiles) {
        this(stack, file, tree, envFiles, Map.of(), List.of());
    }

    /** An env_file as written in the compose file: its variables, or why kiban would not read it. */
    public sealed interface EnvFile {
        record Read(List<EnvVar> vars) implements EnvFile {}

        record Refused(String why) implements EnvFile {}
    }

    /** One {@code NAME=value} line; a value of null is a bare {@code NAME} (compose takes it from the shell). */
    public record EnvVar(String name, String value, int line) {}
}
