package dev.kiban.dashboard;

import dev.kiban.engine.Engine;
import dev.kiban.engine.EngineInfo;
import dev.kiban.engine.NodeSummary;
import dev.kiban.engine.ServiceReplicas;
import dev.kiban.os.BackupLog;
import dev.kiban.os.LatestResults;
import dev.kiban.status.EngineSnapshot;
import dev.kiban.status.PlatformStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The platform at a glance: every section links to the page that tells more. */
final class OverviewPage {
    private OverviewPage() {}

    static String render(Sources sources) {
        StringBuilder b = new StringBuilder();
        PlatformStatus status;
        List<NodeSummary> nodes = List.of();
        List<ServiceReplicas> services = List.of();
        try (Engine engine = sources.engines().get()) {
            EngineSnapshot snapshot = EngineSnapshot.take(engine);
            status = PlatformStatus.of(snapshot, sources.spec(), sources.specName(), sources.disks(),
                    OverviewPage::lastLine);
            if (snapshot.info().swarm().manager()) {
                nodes = engine.nodes();
                services = engine.serviceReplicas();
            }
        } catch (RuntimeException e) {
            b.append(Html.errorBox("The engine did not answer", Pages.reason(e)));
            b.append(alertsSection(sources)).append(resultsSection(sources));
            return b.toString();
        }
        EngineInfo e = status.engine();
        b.append("<section id=\"engine\"><h2>").append(Html.link("/stacks", "Engine")).append("</h2><dl>")
                .append(Pages.dt("Engine", e.version() + " (API " + e.apiVersion() + ")"))
                .append(Pages.dt("Host", e.os() + ", kernel " + e.kernel()))
                .append(Pages.dt("Storage", e.storageDriver() + ", data root " + e.dataRoot()))
                .append(Pages.dt("Swarm", swarm(e.swarm())))
                .append("</dl>");
        var c = status.containers();
        b.append("<p class=\"counts\">Containers: <span id=\"running\">").append(c.running())
                .append("</span> running, <span id=\"stopped\">").append(c.stopped())
                .append("</span> stopped, <span id=\"unhealthy\">").append(c.unhealthy())
                .append("</span> unhealthy, <span id=\"restarting\">").append(c.restarting())
                .append("</span> restarting</p></section>\n");

        b.append("<section id=\"nodes\"><h2>Swarm nodes</h2>");
        List<List<String>> rows = new ArrayList<>();
        for (NodeSummary n : nodes) {
            rows.add(List.of(Html.escape(n.hostname()), Html.escape(n.role()), Html.state(n.state(), !n.healthy()),
                    Html.escape(n.availability()), Html.escape(n.address())));
        }
        b.append(Html.table(List.of("node", "role", "state", "availability", "address"), rows,
                e.swarm().active() ? "This node is not a manager: it cannot list the Swarm's nodes."
                        : "Swarm is " + e.swarm().state() + " on this engine.")).append("</section>\n");

        b.append("<section id=\"stacks\"><h2>").append(Html.link("/stacks", "Stacks and services")).append("</h2>");
        long converged = services.stream().filter(s -> s.running() >= s.desired()).count();
        b.append("<p>").append(Html.escape(services.size() + " services, " + converged + " converged"))
                .append(", ").append(Html.escape(StacksPage.stacks(services).size() + " stacks")).append("</p>")
                .append("</section>\n");

        b.append("<section id=\"disks\"><h2>").append(Html.link("/metrics", "Disks")).append("</h2>");
        rows = new ArrayList<>();
        for (PlatformStatus.DiskStatus d : status.disks()) {
            rows.add(List.of(Html.escape(d.role()), Html.escape(d.path()), d.usage().map(u -> Html.state(
                    String.format(Locale.ROOT, "%.0f%% of %s", u.usedPercent(), Html.bytes(u.usedBytes()
                            + u.availableBytes())), d.overThreshold())).orElse("absent on this host"),
                    Html.escape(String.format(Locale.ROOT, "%.0f%%", d.thresholdPercent()))));
        }
        b.append(Html.table(List.of("disk", "path", "used", "threshold"), rows, "No disk to show."))
                .append("</section>\n");

        b.append("<section id=\"backup\"><h2>").append(Html.link("/backups", "Last backup")).append("</h2>");
        PlatformStatus.RoutineRun backup = status.routine().get(0);
        b.append("<p>").append(backup.lastLine().map(l -> Html.state(backup.failed() ? "FAILED" : "OK",
                backup.failed()) + " " + Html.escape(l)).orElse("never (no " + Html.escape(backup.log()) + ")"))
                .append("</p></section>\n");
        b.append(resultsSection(sources)).append(alertsSection(sources));
        return b.toString();
    }

    private static String swarm(EngineInfo.SwarmState sw) {
        if (!sw.active()) return sw.state();
        return (sw.manager() ? "manager" : "worker") + ", " + sw.nodes() + " nodes (" + sw.managers() + " managers)";
    }

    private static String resultsSection(Sources sources) {
        StringBuilder b = new StringBuilder("<section id=\"results\"><h2>")
                .append(Html.link("/results", "Verify and audit")).append("</h2><dl>");
        for (LatestResults.Kind kind : LatestResults.Kind.values()) {
            String shown;
            try {
                shown = sources.results().summary(kind).map(s -> Html.state(s.findings() ? "findings" : "ok",
                        s.findings()) + " " + Html.escape(s.text() + " (" + s.at() + ")"))
                        .orElse("not run on this host yet");
            } catch (IOException e) {
                shown = Html.escape("unreadable: " + Pages.reason(e));
            }
            b.append("<dt>kiban ").append(kind.word()).append("</dt><dd>").append(shown).append("</dd>");
        }
        return b.append("</dl></section>\n").toString();
    }

    private static String alertsSection(Sources sources) {
        StringBuilder b = new StringBuilder("<section id=\"alerts\"><h2>").append(Html.link("/alerts", "Firing alerts"))
                .append("</h2>");
        try {
            var firing = AlertsPage.firing(sources);
            b.append("<p><span id=\"firing\">").append(firing.size()).append("</span> firing</p>");
            b.append("<ul>");
            firing.forEach(a -> b.append("<li>").append(Html.escape(a.key() + ": " + a.summary())).append("</li>"));
            b.append("</ul>");
        } catch (IOException | RuntimeException e) {
            b.append(Html.errorBox("The monitor's alerts are unreadable", Pages.reason(e)));
        }
        return b.append("</section>\n").toString();
    }

    private static Optional<String> lastLine(java.nio.file.Path log) throws IOException {
        return Files.isRegularFile(log, LinkOption.NOFOLLOW_LINKS) ? new BackupLog(log).lastLine() : Optional.empty();
    }
}
