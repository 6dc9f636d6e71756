package dev.kiban.cli;

import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.Problem;
import dev.kiban.stack.ComposeFile;
import dev.kiban.stack.StackLint;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "lint", mixinStandardHelpOptions = true,
        description = {
            "Check compose files against the spec: cpu/memory limits and reservations on every service, all stacks' "
                    + "limits within the Docker budget with its overcommit, published ports in their class and never "
                    + "2375/2376, networks overlay or inside the service range and overlapping nothing, volumes bound "
                    + "under the volume tree, no obsolete 'version:' key (R1.2, R1.3, R3.3, R3.4, R4.3, D10).",
            "Every way a service reaches the host is an error unless the service carries the class's waiver label with "
                    + "a reason (kiban.waiver.CLASS: \"why\"): privileged, docker-sock (runtime sockets by any "
                    + "spelling), host-mount (/, /etc, /proc, /sys, /dev, /run, ... binds), host-network, "
                    + "host-namespace (pid/ipc/uts/userns/cgroup: host), capabilities (cap_add), devices, security-opt "
                    + "(seccomp/apparmor/label unconfined).",
            "The budget is per node: every node of swarm.nodes (this host alone when it is empty) has the spec's "
                    + "Docker share; a replicated service needs replicas x its limits, a global one its limits on each "
                    + "node it may run on. The whole cluster, and each set of nodes services are confined to by "
                    + "deploy.placement.constraints (node.role, node.hostname, node.labels.*; == and !=) and "
                    + "max_replicas_per_node, must hold what must run there. A constraint no node satisfies is an "
                    + "error; one lint cannot judge (engine.labels, node.id, variables) a warning.",
            "Rolling updates (R8): a warning unless deploy.update_config has parallelism 1, a delay of 10s or more "
                    + "and failure_action: rollback, so a broken image rolls back by itself.",
            "Compose is read as Docker reads it: YAML 1.2 types, anchors, aliases and merge keys; paths normalised.",
            "Findings print as FILE:LINE:COL key.path: severity: message. Exit 1 when any is an error.",
            ""})
final class StackLintCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE|DIR",
            description = "A compose file, or a tree of <stack>/docker-compose.yml. Default: the spec's "
                    + "storage.compose.")
    Path target;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws IOException {
        PlatformSpec platform = SpecLoading.spec(spec).require();
        Path where = target != null ? target : Path.of(platform.storage().compose().value());
        List<Problem> problems = new ArrayList<>();
        List<ComposeFile> files = ComposeFile.find(where, problems);
        problems.addAll(StackLint.lint(files, platform));
        return report(spec.commandLine().getOut(), files.size(), problems, output.json);
    }

    static int report(PrintWriter out, int files, List<Problem> problems, boolean json) {
        long errors = problems.stream().filter(Problem::isError).count();
        if (json) {
            out.println(StructuredOutput.json(java.util.Map.of("files", files, "errors", errors, "problems",
                    problems)));
        } else {
            problems.forEach(out::println);
            out.println(files + " compose file" + (files == 1 ? "" : "s") + ": " + errors + " error"
                    + (errors == 1 ? "" : "s") + ", "
                    + (problems.size() - errors) + " warning" + (problems.size() - errors == 1 ? "" : "s"));
        }
        return errors == 0 ? ExitCode.OK : ExitCode.FINDINGS;
    }
}
