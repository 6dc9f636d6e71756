package dev.kiban.cli;

import dev.kiban.spec.SpecDocument;
import dev.kiban.spec.SpecFiles;
import picocli.CommandLine.Model.CommandSpec;

/** Finding the spec a command works on, from the root command's global -c option. */
final class SpecLoading {
    private SpecLoading() {}

    static KibanCommand root(CommandSpec spec) {
        return (KibanCommand) spec.root().userObject();
    }

    /** The spec named by -c (or the first on the search path), read and checked. */
    static SpecDocument spec(CommandSpec spec) {
        return SpecFiles.find(root(spec).config);
    }
}
