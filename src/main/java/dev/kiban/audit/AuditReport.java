package dev.kiban.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The audit's results as text (a line per check, a score per section), JSON, JUnit XML (a testcase per
 * check) and SARIF 2.1.0 (a rule per check id). Pure: results in, text out.
 */
public final class AuditReport {
    public static final String SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
    private static final Map<String, String> SECTIONS = Map.of("1", "Host configuration",
            "2", "Docker daemon configuration", "3", "Docker daemon configuration files",
            "4", "Container images and build file", "5", "Container runtime", "6", "Docker security operations",
            "7", "Docker Swarm configuration", "kiban", "kiban's hardening (R7)");

    /** A place in a file: the spec line governing a setting, or the file a check looked at (line 0: none). */
    public record Place(String file, int line) {}

    private AuditReport() {}

    public static String line(AuditResult r) {
        StringBuilder s = new StringBuilder(String.format("%-7s %-8s %-20s %s — %s", r.status(), r.severity().word(),
                r.id(), r.title(), r.evidence()));
        if (!r.reason().isEmpty()) s.append(" [").append(r.reason()).append(']');
        if (!r.remediation().isEmpty() && r.status() != Status.PASS && r.status() != Status.INFO) {
            s.append(" → ").append(r.remediation());
        }
        return s.toString();
    }

    public static String text(List<AuditResult> results) {
        StringBuilder s = new StringBuilder();
        results.forEach(r -> s.append(line(r)).append('\n'));
        s.append('\n');
        sections(results).forEach((section, rs) -> s.append(score(section, rs)).append('\n'));
        s.append(score("total", results)).append('\n');
        return s.toString();
    }

    /** {@code section 2 (Docker daemon configuration): 14/17 passed (2 info, 1 waived), 1 manual}. */
    public static String score(String section, List<AuditResult> rs) {
        long total = rs.stream().filter(r -> r.status() != Status.MANUAL).count();
        long pass = count(rs, Status.PASS);
        long info = count(rs, Status.INFO);
        long waived = count(rs, Status.WAIVED);
        String name = section.equals("total") ? "total" : "section " + section + " (" + SECTIONS.get(section) + ")";
        return name + ": " + (pass + info + waived) + "/" + total + " passed (" + info + " info, " + waived
                + " waived), " + count(rs, Status.MANUAL) + " manual";
    }

    private static long count(List<AuditResult> rs, Status s) {
        return rs.stream().filter(r -> r.status() == s).count();
    }

    private static Map<String, List<AuditResult>> sections(List<AuditResult> results) {
        Map<String, List<AuditResult>> out = new LinkedHashMap<>();
        for (AuditResult r : results) {
            out.computeIfAbsent(r.section(), k -> new java.util.ArrayList<>()).add(r);
        }
        return out;
    }

    public static String json(List<AuditResult> results, Severity failOn) {
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode();
        ArrayNode rs = root.putArray("results");
        for (AuditResult r : results) {
            ObjectNode n = rs.addObject().put("id", r.id()).put("title", r.title()).put("section", r.section())
                    .put("severity", r.severity().word()).put("status", r.status().name())
                    .put("evidence", r.evidence());
            if (!r.reason().isEmpty()) n.put("reason", r.reason());
            if (!r.remediation().isEmpty()) n.put("remediation", r.remediation());
            r.specKey().ifPresent(k -> n.put("specKey", k));
            if (!r.file().isEmpty()) n.put("file", r.file());
        }
        ObjectNode scores = root.putObject("scores");
        sections(results).forEach((section, list) -> scores.put(section, score(section, list)));
        root.put("failOn", failOn.word());
        root.put("failed", Audit.failures(results, failOn).size());
        return write(m, root);
    }

    public static String junit(List<AuditResult> results) {
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<testsuites name=\"kiban audit\">\n");
        sections(results).forEach((section, rs) -> {
            long failures = rs.stream().filter(r -> junitFailure(r.status())).count();
            long skipped = rs.stream().filter(r -> junitSkipped(r.status())).count();
            x.append("  <testsuite name=\"kiban.audit.").append(xml(section)).append("\" tests=\"").append(rs.size())
                    .append("\" failures=\"").append(failures).append("\" errors=\"")
                    .append(count(rs, Status.ERROR)).append("\" skipped=\"").append(skipped).append("\">\n");
            for (AuditResult r : rs) {
                x.append("    <testcase classname=\"kiban.audit.").append(xml(section)).append("\" name=\"")
                        .append(xml(r.id() + ": " + r.title())).append("\">\n");
                String message = xml(r.status() + " (" + r.severity().word() + "): " + r.evidence());
                if (junitFailure(r.status())) {
                    x.append("      <failure message=\"").append(message).append("\" type=\"").append(r.status())
                            .append("\">").append(xml(r.remediation())).append("</failure>\n");
                } else if (r.status() == Status.ERROR) {
                    x.append("      <error message=\"").append(message).append("\"/>\n");
                } else if (junitSkipped(r.status())) {
                    x.append("      <skipped message=\"").append(xml(r.status() + ": " + r.evidence()
                            + (r.reason().isEmpty() ? "" : " [" + r.reason() + "]"))).append("\"/>\n");
                } else {
                    x.append("      <system-out>").append(xml(r.evidence())).append("</system-out>\n");
                }
                x.append("    </testcase>\n");
            }
            x.append("  </testsuite>\n");
        });
        return x.append("</testsuites>\n").toString();
    }

    private static boolean junitFailure(Status s) {
        return s == Status.FAIL || s == Status.WARN || s == Status.EXPIRED;
    }

    private static boolean junitSkipped(Status s) {
        return s == Status.MANUAL || s == Status.INFO || s == Status.WAIVED;
    }

    /**
     * SARIF 2.1.0: a rule per check, a result per finding that is not PASS or MANUAL, located by {@code place}
     * (the spec line governing the setting where known, else the file the check looked at); a finding about
     * running containers is a result per container, located by {@code workloadPlace} at its compose service
     * where the labels tell it; a waived finding carries a suppression with the waiver's reason.
     */
    public static String sarif(List<AuditResult> results, String version, Function<AuditResult, Place> place,
                               Function<Workload, Optional<Place>> workloadPlace) {
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode().put("$schema", SARIF_SCHEMA).put("version", "2.1.0");
        ObjectNode run = root.putArray("runs").addObject();
        ObjectNode driver = run.putObject("tool").putObject("driver").put("name", "kiban audit")
                .put("version", version).put("informationUri", "https://www.cisecurity.org/benchmark/docker");
        ArrayNode rules = driver.putArray("rules");
        for (AuditResult r : results) {
            ObjectNode rule = rules.addObject().put("id", r.id()).put("name", ruleName(r.id()));
            rule.putObject("shortDescription").put("text", r.title());
            rule.putObject("fullDescription").put("text", r.title() + " (section " + r.section() + ")");
            rule.putObject("defaultConfiguration").put("level", level(r.severity()));
            rule.putObject("properties").put("security-severity", securitySeverity(r.severity()))
                    .putArray("tags").add("security");
        }
        ArrayNode out = run.putArray("results");
        for (int i = 0; i < results.size(); i++) {
            AuditResult r = results.get(i);
            if (r.status() == Status.PASS || r.status() == Status.MANUAL) continue;
            String tail = (r.reason().isEmpty() ? "" : " [" + r.reason() + "]")
                    + (r.remediation().isEmpty() ? "" : ". Remediation: " + r.remediation());
            if (r.workloads().isEmpty()) {
                sarifResult(out, r, i, r.status() + ": " + r.evidence() + tail, place.apply(r));
            } else {
                for (Workload w : r.workloads()) {
                    sarifResult(out, r, i, r.status() + ": " + w.shown() + tail,
                            workloadPlace.apply(w).orElseGet(() -> place.apply(r)));
                }
            }
        }
        return write(m, root);
    }

    private static void sarifResult(ArrayNode out, AuditResult r, int ruleIndex, String text, Place p) {
        ObjectNode res = out.addObject().put("ruleId", r.id()).put("ruleIndex", ruleIndex)
                .put("level", r.status() == Status.INFO ? "note" : level(r.severity()));
        res.putObject("message").put("text", text);
        ObjectNode physical = res.putArray("locations").addObject().putObject("physicalLocation");
        physical.putObject("artifactLocation").put("uri", uri(p.file()));
        physical.putObject("region").put("startLine", Math.max(1, p.line()));
        if (r.status() == Status.WAIVED) {
            res.putArray("suppressions").addObject().put("kind", "external").put("justification", r.reason());
        }
    }

    private static String uri(String file) {
        return file.startsWith("/") ? "file://" + file : file;
    }

    private static String ruleName(String id) {
        return id.startsWith("kiban.") ? id.replace('.', '-') : "cis-" + id.replace('.', '-');
    }

    private static String level(Severity s) {
        return switch (s) {
            case CRITICAL, HIGH -> "error";
            case MEDIUM -> "warning";
            case LOW -> "note";
        };
    }

    private static String securitySeverity(Severity s) {
        return switch (s) {
            case CRITICAL -> "9.5";
            case HIGH -> "8.0";
            case MEDIUM -> "5.5";
            case LOW -> "2.0";
        };
    }

    /** Where a result is located: the spec's line for its key, else the file the check read, else the spec. */
    public static Place place(AuditResult r, String specFile, Function<String, Optional<Integer>> specLine) {
        if (r.specKey().isPresent()) {
            Optional<Integer> line = specLine.apply(r.specKey().get());
            if (line.isPresent()) return new Place(specFile, line.get());
        }
        if (!r.file().isEmpty()) return new Place(r.file(), 0);
        return new Place(specFile, specLine.apply("audit").orElse(0));
    }

    private static String write(ObjectMapper m, ObjectNode root) {
        try {
            return m.enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the audit report could not be written", e);
        }
    }

    static String xml(String s) {
        return dev.kiban.os.XmlText.escape(s);
    }
}
