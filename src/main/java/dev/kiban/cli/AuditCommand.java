package dev.kiban.cli;

import dev.kiban.audit.Audit;
import dev.kiban.audit.AuditCheck;
import dev.kiban.audit.AuditFacts;
import dev.kiban.audit.AuditGatherer;
import dev.kiban.audit.AuditReport;
import dev.kiban.audit.AuditResult;
import dev.kiban.audit.Catalogue;
import dev.kiban.audit.Severity;
import dev.kiban.engine.Engine;
import dev.kiban.failure.UsageException;
import dev.kiban.os.AtomicFile;
import dev.kiban.os.LatestResults;
import dev.kiban.os.ThisHost;
import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.SpecDocument;
import dev.kiban.spec.SpecText;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "audit", mixinStandardHelpOptions = true,
        header = "Check the live host and engine against the CIS Docker Benchmark and the design's hardening.",
        description = {
            "Gather the facts once (the engine's info, running containers, images, overlay networks and "
                    + "swarm, /etc/docker/daemon.json, the docker units, the socket's owner and mode, 'sshd -T', "
                    + "fail2ban, SELinux, the firewall and DOCKER-USER, the update timers, apt's and journald's "
                    + "files) and check them: every CIS Docker Benchmark v1.6.0 id (the ones kiban cannot decide "
                    + "are MANUAL with what to look at, never PASS) and kiban's own (kiban.api.tcp, kiban.socket.*, "
                    + "kiban.ssh.*, kiban.fail2ban, kiban.selinux.*, kiban.firewall.*, kiban.updates, "
                    + "kiban.journald, kiban.swarm, kiban.image.pinned, kiban.image.age).",
            "Verdicts: PASS; FAIL; WARN (kiban cannot judge for certain); INFO (a deviation the design requires, "
                    + "with its reason, e.g. live-restore off under Swarm, D1; no userns-remap, D13); MANUAL; "
                    + "WAIVED (audit.waivers in the spec: id, reason, expires); EXPIRED (a waiver past its date, "
                    + "a failure); ERROR (the facts it needs could not be read, e.g. the engine stopped).",
            "Where kiban renders the setting, the remediation names the spec key: change it and run 'kiban apply'.",
            "Examples:",
            "  kiban audit                              every check, as text with a score per section",
            "  kiban audit --only 5 --only kiban.ssh    the container runtime and sshd only",
            "  kiban audit --format sarif --output audit.sarif   for code scanning",
            "  kiban audit --format junit --fail-on medium       for CI",
            "Exit 0 when no FAIL, EXPIRED or ERROR is at or above --fail-on; 1 otherwise; 2 for a usage or spec "
                    + "error (an unknown --only names it); 3 when the engine is unavailable and no check could run.",
            ""})
final class AuditCommand extends EngineBoundCommand {
    enum Format { TEXT, JSON, JUNIT, SARIF }

    static final class FormatChoice extends ChoiceConverter<Format> {
        FormatChoice() {
            super(List.of(Format.values()));
        }
    }

    static final class SeverityChoice extends ChoiceConverter<Severity> {
        SeverityChoice() {
            super(List.of(Severity.values()));
        }
    }

    @Option(names = "--only", paramLabel = "SECTION|ID", split = ",",
            description = "Only these checks: a section (2, 5, kiban), an id (5.31, kiban.ssh.password) or a prefix "
                    + "of ids (kiban.ssh); repeat or separate with commas.")
    List<String> only = new ArrayList<>();

    @Option(names = "--format", paramLabel = "text|json|junit|sarif", defaultValue = "text",
            converter = FormatChoice.class, description = "Report format (default ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--output", paramLabel = "FILE", description = "Write the report to FILE; the summary still goes "
            + "to the terminal.")
    Path output;

    @Option(names = "--fail-on", paramLabel = "low|medium|high|critical", converter = SeverityChoice.class,
            description = "The severity from which a failed check fails the audit (default: the spec's "
                    + "audit.failOn, high).")
    Severity failOn;

    @Option(names = "--root", paramLabel = "DIR", description = "Host root the files are read under (default /); "
            + "what only the running system can say (fail2ban, the firewall, DOCKER-USER, SELinux) is ERROR "
            + "under another.")
    Path root = Path.of("/");

    AuditCommand(KibanContext context) {
        super(context);
    }

    @Override
    public Integer call() throws IOException {
        SpecDocument document = SpecLoading.spec(spec);
        PlatformSpec resolved = ThisHost.under(root).familyFromSystemWhenRootHasNone()
                .resolveForHost(document.require(), Optional.empty());
        List<AuditCheck> all = Catalogue.all();
        List<String> unknown = only.stream().filter(w -> {
            try {
                Audit.select(all, List.of(w));
                return false;
            } catch (IllegalArgumentException e) {
                return true;
            }
        }).map(SpecText::shown).toList();
        if (!unknown.isEmpty()) {
            throw new UsageException("--only: no audit check or section " + String.join(", ", unknown)
                    + " (sections 1-7 and kiban; ids such as 5.32 or kiban.ssh.password)");
        }
        List<AuditCheck> checks = Audit.select(all, only);
        Severity threshold = failOn != null ? failOn : Severity.of(resolved.audit().failOn()).orElse(Severity.HIGH);
        Engine[] engine = {null};
        AuditFacts facts;
        try {
            facts = AuditGatherer.gather(resolved, () -> engine[0] = connect(), context.programs(), root);
        } finally {
            if (engine[0] != null) engine[0].close();
        }
        List<AuditResult> results = Audit.run(checks, facts, resolved.audit().waivers(),
                LocalDate.now(ZoneOffset.UTC));
        String report = switch (format) {
            case JSON -> AuditReport.json(results, threshold);
            case JUNIT -> AuditReport.junit(results);
            case SARIF -> AuditReport.sarif(results, version(), r -> AuditReport.place(r, document.file(),
                    key -> document.locate(key).map(l -> l.line())), w -> w.composeFile().isEmpty() ? Optional.empty()
                    : AuditGatherer.composeServiceLine(root, w.composeFile(), w.service())
                            .map(line -> new AuditReport.Place(w.composeFile(), line)));
            default -> AuditReport.text(results);
        };
        List<AuditResult> failed = Audit.failures(results, threshold);
        String summary = failed.size() + " check" + (failed.size() == 1 ? "" : "s") + " failed at or above "
                + threshold.word() + (failed.isEmpty() ? "" : ": " + String.join(", ",
                failed.stream().map(AuditResult::id).toList()));
        PrintWriter out = spec.commandLine().getOut();
        LatestRun.save(spec, LatestResults.Kind.AUDIT, root, resolved, !failed.isEmpty(), summary, () -> Map.of(
                LatestResults.Format.TEXT, AuditReport.text(results) + summary + "\n",
                LatestResults.Format.JUNIT, AuditReport.junit(results),
                LatestResults.Format.SARIF, AuditReport.sarif(results, version(), r -> AuditReport.place(r,
                        document.file(), key -> document.locate(key).map(l -> l.line())), w -> Optional.empty())));
        if (output != null) {
            AtomicFile.write(output, report.getBytes(StandardCharsets.UTF_8), "rw-r--r--", false);
            out.println(summary + "; report in " + output);
        } else {
            out.print(report);
            if (format == Format.TEXT) out.println(summary);
        }
        boolean engineChecks = checks.stream().anyMatch(c -> !c.manual());
        if (engineChecks && !facts.info().present() && Audit.nothingRan(results)) {
            spec.commandLine().getErr().println("kiban audit: " + facts.info().error());
            return ExitCode.UNAVAILABLE;
        }
        return failed.isEmpty() ? ExitCode.OK : ExitCode.FINDINGS;
    }

    private static String version() {
        String v = AuditCommand.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
