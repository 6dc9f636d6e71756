package dev.kiban.verify;

import java.util.ArrayList;
import java.util.List;

/** Runs checks in order and collects their verdicts; an exception in a check is that check's failure. */
public final class Verification {
    private Verification() {}

    public static List<Check> checks(String only) {
        List<Check> out = new ArrayList<>();
        if (only == null || only.equals("unit")) out.addAll(UnitChecks.all());
        if (only == null || only.equals("integration")) out.addAll(IntegrationChecks.all());
        return out;
    }

    public static List<CheckResult> run(List<Check> checks, CheckContext context,
            java.util.function.Consumer<CheckResult> progress) {
        List<CheckResult> out = new ArrayList<>();
        for (Check check : checks) {
            long start = System.nanoTime();
            Check.Outcome outcome;
            try {
                outcome = check.run(context);
            } catch (dev.kiban.engine.NotSwarmManagerException e) {
                outcome = offManager(context, e);
            } catch (Exception e) {
                // the check's own words, never a Java class name
                outcome = Check.Outcome.fail(dev.kiban.os.Failures.describe(e));
            }
            CheckResult result = new CheckResult(check.id(), check.group(), check.requirement(), check.title(),
                    outcome.verdict(), outcome.evidence(), (System.nanoTime() - start) / 1_000_000);
            out.add(result);
            progress.accept(result);
        }
        return out;
    }

    /**
     * A check that asked a worker for what only a manager knows is skipped, naming the managers: where verify runs
     * is the operator's choice, not a fault of the platform. On a manager the same refusal (no leader) fails.
     */
    static Check.Outcome offManager(CheckContext context, dev.kiban.engine.NotSwarmManagerException e) {
        try {
            var swarm = context.engine().get().map(dev.kiban.engine.Engine::swarm);
            if (swarm.isPresent() && swarm.get().active() && !swarm.get().manager()) {
                return Check.Outcome.skip(SwarmRole.onWorker(swarm.get()));
            }
        } catch (RuntimeException again) {
            // the engine's first answer stands
        }
        return Check.Outcome.fail(dev.kiban.os.Failures.describe(e));
    }

    /** The results as JUnit XML, one testsuite per group, for CI systems to read. */
    public static String junit(List<CheckResult> results) {
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<testsuites name=\"kiban verify\">\n");
        for (String group : List.of("unit", "integration")) {
            List<CheckResult> rs = results.stream().filter(r -> r.group().equals(group)).toList();
            if (rs.isEmpty()) continue;
            long failures = rs.stream().filter(CheckResult::failed).count();
            long skipped = rs.stream().filter(r -> r.verdict() == CheckResult.Verdict.SKIP).count();
            double time = rs.stream().mapToLong(CheckResult::millis).sum() / 1000.0;
            x.append("  <testsuite name=\"kiban.verify.").append(group).append("\" tests=\"").append(rs.size())
                    .append("\" failures=\"").append(failures)
                    .append("\" errors=\"0\" skipped=\"").append(skipped).append("\" time=\"").append(time)
                    .append("\">\n");
            for (CheckResult r : rs) {
                x.append("    <testcase classname=\"kiban.verify.").append(group).append("\" name=\"")
                        .append(xml(r.id() + ": " + r.title()))
                        .append("\" time=\"").append(r.millis() / 1000.0).append("\">\n");
                switch (r.verdict()) {
                    case FAIL -> x.append("      <failure message=\"").append(xml(r.evidence())).append("\">")
                            .append(xml(r.requirement())).append("</failure>\n");
                    case SKIP -> x.append("      <skipped message=\"").append(xml(r.evidence())).append("\"/>\n");
                    default -> x.append("      <system-out>").append(xml(r.evidence())).append("</system-out>\n");
                }
                x.append("    </testcase>\n");
            }
            x.append("  </testsuite>\n");
        }
        return x.append("</testsuites>\n").toString();
    }

    static String xml(String s) {
        return dev.kiban.os.XmlText.escape(s);
    }
}
