package dev.kiban.migrate;

import dev.kiban.migrate.KeyOutcome.Outcome;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the migration did, for the operator: per stack its services (task size, tasks, the monthly
 * estimate from the dated price table) and every compose key with its outcome, file and line; as
 * {@code REPORT.md} and as one JSON document ({@link #json}). Names and notes only: the report never
 * holds a value from a compose or env file.
 */
public record MigrationReport(String region, String cluster, String priceDate, List<StackMigration> stacks,
        List<FargatePrices.Estimate> estimates, boolean express, SecretStore secrets) {

    public static MigrationReport of(List<StackMigration> stacks, String region, String cluster, FargatePrices prices) {
        return of(stacks, region, cluster, prices, false);
    }

    /** With {@code express}, the services {@link ExpressMode} accepts are written as Express services. */
    public static MigrationReport of(List<StackMigration> stacks, String region, String cluster, FargatePrices prices,
            boolean express) {
        return of(stacks, region, cluster, prices, express, SecretStore.SECRETSMANAGER);
    }

    /** With {@code secrets}, where the tasks read their secrets. */
    public static MigrationReport of(List<StackMigration> stacks, String region, String cluster, FargatePrices prices,
            boolean express, SecretStore secrets) {
        List<FargatePrices.Estimate> estimates = new ArrayList<>();
        for (StackMigration s : stacks) {
            for (EcsService svc : s.services()) estimates.add(prices.estimate(region, svc.task().size(), svc.tasks()));
        }
        return new MigrationReport(region, cluster, prices.date(), List.copyOf(stacks), List.copyOf(estimates),
                express, secrets);
    }

    /** The sum of the estimates, or empty when the table has no price for the region. */
    public java.util.Optional<BigDecimal> monthly() {
        if (estimates.stream().anyMatch(e -> e.monthly().isEmpty())) return java.util.Optional.empty();
        return java.util.Optional.of(estimates.stream().map(e -> e.monthly().orElseThrow())
                .reduce(BigDecimal.ZERO, BigDecimal::add));
    }

    private String usd(java.util.Optional<BigDecimal> v) {
        return v.map(b -> "$" + b.toPlainString()).orElse("no price for " + region);
    }

    public String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# kiban migrate ecs\n\n");
        md.append("Region ").append(region).append(", cluster ").append(cluster)
                .append(". Fargate prices of ").append(priceDate).append(" (Linux/x86_64, on demand, ")
                .append(FargatePrices.HOURS_A_MONTH).append(" hours a month; no storage, data transfer, ALB or EFS):"
                        + " estimated ").append(usd(monthly())).append(" a month.\n\n");
        md.append("Outcomes: **mapped** means the same on ECS; **approximated** says what changed; **unsupported**"
                + " says why and what to do. Terraform: `terraform/` (`terraform init && terraform plan"
                + " -var vpc_id=… -var 'subnet_ids=[…]'`). Task definitions for review: `task-definitions/`"
                + " (replace ACCOUNT_ID and the EFS ids before registering one by hand).\n");
        if (anyAlb()) md.append("\n").append(HTTPS).append("\n");
        int i = 0;
        for (StackMigration s : stacks) {
            md.append("\n## ").append(s.stack()).append("\n\n").append('`').append(s.file()).append("`\n\n");
            md.append("| service | task | tasks | a month | ALB | Express Mode |\n|---|---|---|---|---|---|\n");
            for (EcsService svc : s.services()) {
                FargatePrices.Estimate e = estimates.get(i++);
                md.append("| ").append(svc.name()).append(" | ").append(svc.task().size()).append(" | ")
                        .append(svc.tasks()).append(" | ").append(usd(e.monthly())).append(" | ")
                        .append(svc.http() ? "port " + svc.published().get(0).port() : "").append(" | ")
                        .append(cell(expressVerdict(svc))).append(" |\n");
            }
            if (!s.secrets().isEmpty()) {
                if (secrets == SecretStore.SSM) {
                    md.append("\nParameter Store SecureString parameters to fill: ")
                            .append(String.join(", ", s.secrets().stream()
                                    .map(x -> "`" + SecretStore.parameterName(x) + "`").toList()))
                            .append(". Terraform creates each with the value `").append(SecretStore.PLACEHOLDER)
                            .append("` as a write-only argument (never in its state, never written again); put the"
                                    + " real value with `aws ssm put-parameter --overwrite --type SecureString --name"
                                    + " NAME --value …` before the services start.\n");
                } else {
                    md.append("\nSecrets Manager secrets to fill (declared by name, no value): ")
                            .append(String.join(", ", s.secrets().stream().map(x -> "`" + x + "`").toList()))
                            .append(".\n");
                }
            }
            if (!s.volumes().isEmpty()) {
                md.append("\nEFS access points (copy the data over): ")
                        .append(String.join(", ", s.volumes().stream().map(x -> "`" + x + "`").toList())).append(".\n");
                md.append("\n").append(efs(s, cluster)).append("\n");
            }
            md.append("\n| line | service | key | outcome | what |\n|---|---|---|---|---|\n");
            for (KeyOutcome k : s.outcomes()) {
                md.append("| ").append(k.line()).append(" | ").append(k.service()).append(" | `").append(k.key())
                        .append("` | ").append(k.outcome().name().toLowerCase(java.util.Locale.ROOT)).append(" | ")
                        .append(cell(k.note())).append(" |\n");
            }
        }
        return md.toString();
    }

    /** How the stack's tasks reach its EFS: TLS, IAM, its task role and what that role may do. */
    static String efs(StackMigration s, String cluster) {
        List<String> root = TerraformJson.rootWriters(s);
        return "EFS with IAM authorization and TLS: the task role `" + cluster + "-" + s.stack()
                + "-task` may " + String.join(", ", TerraformJson.efsActions(s).stream()
                .map(a -> a.substring(a.indexOf(':') + 1)).toList()) + " through the stack's access points only;"
                + " the file system's policy refuses any connection without TLS."
                + (root.isEmpty() ? "" : " ClientRootAccess because " + String.join(", ", root) + " write"
                + (root.size() == 1 ? "s" : "") + " as root (no numeric user:), which EFS would squash to nobody;"
                + " give them a user: and it is not granted.");
    }

    /** What the ALBs speak, said wherever one is written. */
    static final String HTTPS = "The ALBs speak plain HTTP while the variable `certificate_arn` is empty (its"
            + " default). Set it to an ACM certificate's ARN for HTTPS (" + TerraformJson.TLS_POLICY + "): port 80"
            + " then redirects to HTTPS on 443, and any other HTTP port is served as HTTPS on the same port.";

    /** Whether any service is written behind an ALB (an Express service brings its own). */
    boolean anyAlb() {
        return stacks.stream().flatMap(s -> s.services().stream())
                .anyMatch(svc -> svc.http() && !(express && ExpressMode.qualifies(svc)));
    }

    /** An Express service has no Service Connect setting: names reach it, and it them, no more. */
    static final String OUTSIDE = "outside Service Connect: it and the stack's other services do not reach each"
            + " other by compose name";

    private String expressVerdict(EcsService svc) {
        java.util.Optional<String> why = ExpressMode.whyNot(svc);
        if (why.isPresent()) return "no: " + why.get();
        return express ? "yes (written as an Express service, " + OUTSIDE + ")"
                : "qualifies (--express; it would be " + OUTSIDE + ")";
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }

    /** The report as one JSON document's content (maps and lists, in a stable order). */
    public Map<String, Object> json() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("region", region);
        out.put("cluster", cluster);
        out.put("priceDate", priceDate);
        out.put("express", express);
        out.put("secrets", secrets.word());
        out.put("monthlyUsd", monthly().map(BigDecimal::toPlainString).orElse(null));
        if (anyAlb()) out.put("albHttps", HTTPS.replace("`", ""));
        List<Object> st = new ArrayList<>();
        int i = 0;
        for (StackMigration s : stacks) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("stack", s.stack());
            m.put("file", s.file());
            List<Object> services = new ArrayList<>();
            for (EcsService svc : s.services()) {
                FargatePrices.Estimate e = estimates.get(i++);
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("service", svc.name());
                o.put("family", svc.task().family());
                o.put("cpu", svc.task().size().cpu());
                o.put("memory", svc.task().size().memory());
                o.put("tasks", svc.tasks());
                o.put("monthlyUsd", e.monthly().map(BigDecimal::toPlainString).orElse(null));
                o.put("alb", svc.http());
                Map<String, Object> ex = new LinkedHashMap<>();
                ex.put("qualifies", ExpressMode.qualifies(svc));
                ex.put("written", express && ExpressMode.qualifies(svc));
                ex.put("why", ExpressMode.whyNot(svc).orElse(null));
                o.put("express", ex);
                services.add(o);
            }
            m.put("services", services);
            m.put("secrets", s.secrets());
            m.put("volumes", s.volumes());
            if (!s.volumes().isEmpty()) {
                m.put("efsActions", TerraformJson.efsActions(s));
                m.put("efsRootWriters", TerraformJson.rootWriters(s));
            }
            m.put("networks", s.networks());
            List<Object> keys = new ArrayList<>();
            for (KeyOutcome k : s.outcomes()) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("file", k.file());
                o.put("line", k.line());
                o.put("service", k.service());
                o.put("key", k.key());
                o.put("outcome", k.outcome().name().toLowerCase(java.util.Locale.ROOT));
                o.put("note", k.note());
                keys.add(o);
            }
            m.put("keys", keys);
            st.add(m);
        }
        out.put("stacks", st);
        return out;
    }

    /** How many keys of each outcome, for the one-line summary. */
    public Map<Outcome, Long> counts() {
        Map<Outcome, Long> c = new LinkedHashMap<>();
        for (Outcome o : Outcome.values()) c.put(o, 0L);
        stacks.forEach(s -> s.outcomes().forEach(k -> c.merge(k.outcome(), 1L, Long::sum)));
        return c;
    }
}
