package dev.kiban.cli;

import dev.kiban.os.ThisHost;
import dev.kiban.spec.SpecDocument;
import dev.kiban.spec.SpecTree;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "show", mixinStandardHelpOptions = true,
        description = {
            "Print the spec. Secrets are masked: a literal prints as <secret>, env:/file: references as written.",
            "With --effective: every key, defaults filled in and each 'auto' decided for this host (OS family, "
                    + "Swarm addresses, live-restore, SELinux labels).",
            ""})
final class SpecShowCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--effective", description = "Fill in defaults and resolve 'auto' values for this host.")
    boolean effective;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws IOException {
        SpecDocument doc = SpecLoading.spec(spec);
        Object tree;
        if (effective) {
            tree = SpecTree.of(ThisHost.system().resolveAsFarAsKnown(doc.require()));
        } else {
            doc.require();
            tree = SpecTree.of(doc.written());
        }
        spec.commandLine().getOut().print(output.json ? StructuredOutput.json(tree) + "\n"
                : StructuredOutput.yaml(tree));
        return ExitCode.OK;
    }
}
