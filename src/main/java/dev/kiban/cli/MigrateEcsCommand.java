package dev.kiban.cli;

import dev.kiban.failure.RefusedException;
import dev.kiban.failure.UsageException;
import dev.kiban.migrate.EcsMapping;
import dev.kiban.migrate.FargatePrices;
import dev.kiban.migrate.KeyOutcome;
import dev.kiban.migrate.MigrationOutput;
import dev.kiban.migrate.MigrationReport;
import dev.kiban.migrate.SecretStore;
import dev.kiban.migrate.StackFiles;
import dev.kiban.migrate.StackMigration;
import dev.kiban.migrate.StackSource;
import dev.kiban.os.GeneratedDirectory;
import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.Problem;
import dev.kiban.spec.SpecText;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "ecs", mixinStandardHelpOptions = true,
        header = "Compose stacks as ECS on Fargate: task definitions, Terraform, a report of every key.",
        description = {
            "Reads the stacks (by name under the spec's storage.compose, <stack>/docker-compose.yml; or compose files"
                    + " or directories of stacks; all stacks when none is named) and writes into --out:",
            "  REPORT.md, report.json   every compose key of every service as mapped, approximated (what changed) or"
                    + " unsupported (why, what to do), at its file and line; each service's Fargate size and a"
                    + " monthly estimate from kiban's dated price table",
            "  terraform/*.tf.json      Terraform (JSON syntax): cluster, execution role, log group per stack,"
                    + " Secrets Manager secrets (names only), a security group per network, EFS with an access point"
                    + " per named volume, Service Connect (services reach each other by compose name), task"
                    + " definitions, services with the circuit breaker,"
                    + " an ALB for a service that publishes one HTTP port (HTTPS when certificate_arn is set), an NLB"
                    + " for other published ports; variables for the VPC, subnets and certificate; with"
                    + " --express, an Express service for each service that qualifies",
            "  task-definitions/<stack>/<service>.json   the RegisterTaskDefinition input, for review",
            "Limits are rounded up to a Fargate size (the report says so); secrets and environment variables named"
                    + " like secrets (PASSWORD, TOKEN, ...) are read from Secrets Manager (or, with --secrets ssm,"
                    + " Parameter Store), their values never copied."
                    + " $${VAR} is substituted from the compose tree's common/.env and the stack's .env.",
            "Refused, with FILE:LINE:COL and nothing written: a bind mount of a host path, build: without image:,"
                    + " privileged, network_mode/pid: host, devices, a published port other than its target, a"
                    + " secret or volume not declared, an env_file outside the compose tree or through a link.",
            "--out is written whole or not at all: into a new directory beside it, then moved into place. An"
                    + " existing --out is refused, unless it is an earlier output of this command and --force is"
                    + " given; a directory kiban did not write is never replaced.",
            "Exit 0: written. 1: refused (nothing written). 2: usage or spec error. 3: --out could not be"
                    + " written (nothing left behind).",
            ""})
final class MigrateEcsCommand implements Callable<Integer> {
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");
    private static final Pattern CLUSTER = Pattern.compile("[A-Za-z0-9_-]{1,255}");

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "STACK|FILE|DIR",
            description = "Stacks by name under storage.compose, compose files, or directories of stacks. Default:"
                    + " every stack under storage.compose.")
    List<String> targets = new ArrayList<>();

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write; must not exist"
            + " (or, with --force, be an earlier output of this command).")
    Path out;

    @Option(names = "--region", paramLabel = "REGION",
            description = "The AWS region: awslogs, Terraform's default and the price table. Default: the spec's"
                    + " migrate.region (ap-northeast-1).")
    String region;

    @Option(names = "--cluster", paramLabel = "NAME",
            description = "The ECS cluster's name. Default: the spec's migrate.cluster (kiban).")
    String cluster;

    @Option(names = "--express", description = "Write a service ECS Express Mode can run (one HTTP port, no"
            + " volumes, at most 4 vCPU / 8 GiB, no settings Express lacks) as an aws_ecs_express_gateway_service;"
            + " the report says which qualified and why the others did not.")
    boolean express;

    @Option(names = "--secrets", paramLabel = "STORE", description = "Where the tasks read their secrets:"
            + " secretsmanager (default; secrets declared by name, no value) or ssm (Parameter Store SecureString"
            + " parameters, created with the placeholder CHANGE_ME as a write-only value that Terraform never keeps"
            + " or writes again; needs Terraform 1.11).")
    String secrets = "secretsmanager";

    @Option(names = "--force", description = "Replace --out when it is an earlier output of kiban migrate ecs.")
    boolean force;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws IOException {
        PlatformSpec platform = SpecLoading.spec(spec).require();
        if (region == null) region = platform.migrate().region();
        if (cluster == null) cluster = platform.migrate().cluster();
        if (!REGION.matcher(region).matches()) {
            throw new UsageException("--region " + SpecText.shown(region) + " is not an AWS region like us-east-1");
        }
        if (!CLUSTER.matcher(cluster).matches()) {
            throw new UsageException("--cluster " + SpecText.shown(cluster) + ": letters, digits, - and _ only");
        }
        SecretStore store = switch (secrets) {
            case "secretsmanager" -> SecretStore.SECRETSMANAGER;
            case "ssm" -> SecretStore.SSM;
            default -> throw new UsageException("--secrets " + SpecText.shown(secrets) + ": secretsmanager or ssm");
        };
        Path tree = Path.of(platform.storage().compose().value());
        checkOut();

        List<Problem> problems = new ArrayList<>();
        List<StackSource> sources = StackFiles.find(targets, tree, problems);
        Set<String> names = new HashSet<>();
        for (StackSource s : sources) {
            if (!names.add(s.stack())) {
                problems.add(new Problem(Problem.Severity.ERROR, s.file(), 0, 0, "", "a second stack named "
                        + s.stack() + "; name each stack once"));
            }
        }
        if (sources.isEmpty() && problems.isEmpty()) {
            problems.add(new Problem(Problem.Severity.ERROR, tree.toString(), 0, 0, "", "no stacks to migrate"));
        }
        List<StackMigration> stacks = new ArrayList<>();
        for (StackSource s : sources) {
            StackMigration m = EcsMapping.map(s, new EcsMapping.Options(region, platform.migrate().defaults().cpus(),
                    platform.migrate().defaults().memory().bytes(), store));
            problems.addAll(m.refusals());
            stacks.add(m);
        }
        if (!problems.isEmpty()) {
            throw new RefusedException(problems.size() + " problem" + (problems.size() == 1 ? "" : "s")
                    + " stop the migration; nothing was written to " + out,
                    problems.stream().map(Problem::toString).toList());
        }
        MigrationReport report = MigrationReport.of(stacks, region, cluster, FargatePrices.shipped(), express,
                store);
        write(MigrationOutput.files(stacks, report));
        if (output.json) {
            OutputOptions.print(spec, report.json());
        } else {
            PrintWriter text = spec.commandLine().getOut();
            Map<KeyOutcome.Outcome, Long> c = report.counts();
            int services = stacks.stream().mapToInt(s -> s.services().size()).sum();
            text.println("Wrote " + out + ": " + stacks.size() + " stack" + (stacks.size() == 1 ? "" : "s") + ", "
                    + services + " service" + (services == 1 ? "" : "s") + "; keys "
                    + c.get(KeyOutcome.Outcome.MAPPED) + " mapped, " + c.get(KeyOutcome.Outcome.APPROXIMATED)
                    + " approximated, " + c.get(KeyOutcome.Outcome.UNSUPPORTED) + " unsupported (REPORT.md).");
            text.println("Estimated " + report.monthly().map(b -> "$" + b.toPlainString() + " a month")
                    .orElse("cost unknown: no price for " + region) + " in " + region + " (Fargate prices of "
                    + report.priceDate() + ").");
        }
        return ExitCode.OK;
    }

    /** --out: absent, or an earlier output of this command with --force; never a link, never another directory. */
    private void checkOut() throws IOException {
        switch (GeneratedDirectory.state(out, MigrationOutput.MARKER)) {
            case ABSENT -> { }
            case NO_PARENT -> throw new RefusedException("--out " + out + ": its parent directory does not exist");
            case LINK -> throw new RefusedException("--out " + out + " is a symbolic link; kiban does not write through"
                    + " a link");
            case EARLIER_OUTPUT -> {
                if (!force) {
                    throw new RefusedException("--out " + out + " holds an earlier migration; --force replaces it");
                }
            }
            default -> throw new RefusedException("--out " + out + " exists and is not an earlier output of kiban "
                    + "migrate ecs; name a new directory");
        }
    }

    /**
     * Every file into a new directory beside --out, moved into place (an earlier output, with --force, is moved
     * aside first and removed after): a reader sees the old output or the new, never a part.
     */
    private void write(Map<String, String> files) throws IOException {
        GeneratedDirectory.write(out, files);
    }
}
