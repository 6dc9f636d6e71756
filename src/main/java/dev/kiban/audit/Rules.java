package dev.kiban.audit;

import dev.kiban.engine.ContainerHardening;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Helpers the checks share: one verdict over every running container, kiban's remediation wording. */
final class Rules {
    private Rules() {}

    /** The remediation where kiban renders the setting: the spec key, then {@code kiban apply}. */
    static String apply(String key, String what) {
        return "set " + key + (what.isEmpty() ? "" : " " + what) + " in the spec and run 'kiban apply'";
    }

    /**
     * FAIL naming each running container {@code problem} finds something in (it answers null when the
     * container is fine), else PASS.
     */
    static Finding containers(AuditFacts f, Function<ContainerHardening, String> problem, String remediation) {
        return containers(f, problem, remediation, Status.FAIL);
    }

    static Finding containers(AuditFacts f, Function<ContainerHardening, String> problem, String remediation,
                              Status bad) {
        List<ContainerHardening> all = f.containers().get();
        if (all.isEmpty()) return Finding.pass("no running containers");
        List<Workload> found = new ArrayList<>();
        String tree = f.spec().storage().compose().value();
        for (ContainerHardening c : all) {
            String p = problem.apply(c);
            if (p != null) found.add(Workload.of(c, p, tree));
        }
        if (found.isEmpty()) return Finding.pass(all.size() + " running container" + (all.size() == 1 ? "" : "s")
                + ", none affected");
        return new Finding(bad, found.size() + " of " + all.size() + ": "
                + String.join(", ", found.stream().map(Workload::shown).toList()), "", remediation, found);
    }

    static String host(String mode) {
        return "host".equals(mode) ? "" : null;
    }
}
