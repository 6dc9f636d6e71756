package dev.kiban.dashboard;

import dev.kiban.monitor.Alert;
import dev.kiban.monitor.MonitorState;
import dev.kiban.monitor.Outbox;
import dev.kiban.monitor.Silence;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The monitor's alerts as its state directory holds them: firing and pending, silences, the notifications still
 * waiting in the outbox (with their last delivery error), and the timeline of the last week from history.log.
 */
final class AlertsPage {
    static final Duration TIMELINE = Duration.ofDays(7);
    static final int MAX_TIMELINE = 500;

    private AlertsPage() {}

    /** The monitor's state, when the agent has made it; the dashboard never creates it. */
    static Optional<MonitorState> state(Sources sources) throws IOException {
        if (!Files.isDirectory(sources.monitorState(), LinkOption.NOFOLLOW_LINKS)) return Optional.empty();
        return Optional.of(new MonitorState(sources.monitorState()));
    }

    static List<Alert> firing(Sources sources) throws IOException {
        Optional<MonitorState> state = state(sources);
        if (state.isEmpty()) return List.of();
        return state.get().alerts().map(s -> s.alerts().stream().filter(a -> a.state() == Alert.State.FIRING)
                .toList()).orElse(List.of());
    }

    static String render(Sources sources) {
        StringBuilder b = new StringBuilder();
        Optional<MonitorState> state;
        try {
            state = state(sources);
        } catch (IOException e) {
            return Html.errorBox("The monitor's state is unreadable", Pages.reason(e));
        }
        if (state.isEmpty()) {
            return "<p class=\"none\">The monitoring agent has kept no state here yet ("
                    + Html.escape(sources.monitorState().toString()) + "): no alert so far.</p>\n";
        }
        MonitorState s = state.get();
        b.append("<section id=\"current\"><h2>Firing and pending</h2>");
        try {
            List<List<String>> rows = new ArrayList<>();
            for (Alert a : s.alerts().map(MonitorState.Snapshot::alerts).orElse(List.of())) {
                rows.add(List.of(Html.state(a.state().name().toLowerCase(java.util.Locale.ROOT),
                        a.state() == Alert.State.FIRING), Html.escape(a.key().rule()), Html.escape(a.key().subject()),
                        Html.escape(a.summary()), Html.escape(String.valueOf(a.since())),
                        Html.escape(String.join(", ", a.channels()))));
            }
            b.append(Html.table(List.of("state", "rule", "subject", "summary", "since", "channels"), rows,
                    "No alert is firing."));
        } catch (IOException | RuntimeException e) {
            b.append(Html.errorBox("alerts.json is unreadable", Pages.reason(e)));
        }
        b.append("</section>\n<section id=\"silences\"><h2>Silenced</h2>");
        try {
            List<List<String>> rows = new ArrayList<>();
            for (Silence x : s.silences()) {
                if (x.until().isBefore(sources.clock().instant())) continue;
                rows.add(List.of(Html.escape(x.id()), Html.escape(x.matcher()), Html.escape(String.valueOf(x.until())),
                        Html.escape(x.comment())));
            }
            b.append(Html.table(List.of("id", "matches", "until", "comment"), rows, "Nothing is silenced."));
        } catch (IOException | RuntimeException e) {
            b.append(Html.errorBox("silences.json is unreadable", Pages.reason(e)));
        }
        b.append("</section>\n<section id=\"outbox\"><h2>Waiting for delivery</h2>");
        try {
            List<List<String>> rows = new ArrayList<>();
            if (Files.isDirectory(s.dir().resolve("outbox"), LinkOption.NOFOLLOW_LINKS)) {
                for (Outbox.Item i : s.outbox().pending()) {
                    rows.add(List.of(Html.escape(i.notification().channel()),
                            Html.escape(i.notification().events().size() + " events"),
                            Html.escape(Integer.toString(i.attempts())), Html.escape(String.valueOf(i.nextAttempt())),
                            Html.escape(i.lastError() == null ? "" : i.lastError())));
                }
            }
            b.append(Html.table(List.of("channel", "notification", "attempts", "next attempt", "last error"), rows,
                    "Every notification was delivered."));
        } catch (IOException | RuntimeException e) {
            b.append(Html.errorBox("The outbox is unreadable", Pages.reason(e)));
        }
        b.append("</section>\n<section id=\"timeline\"><h2>Timeline (last 7 days, delivered notifications)</h2>");
        try {
            List<String> lines = s.history(sources.clock().instant().minus(TIMELINE));
            List<List<String>> rows = new ArrayList<>();
            for (int i = lines.size() - 1; i >= 0 && rows.size() < MAX_TIMELINE; i--) {
                String[] p = lines.get(i).split(" ", 5);
                if (p.length < 4) continue;
                rows.add(List.of(Html.escape(p[0]), Html.state(p[1].toLowerCase(java.util.Locale.ROOT),
                        !p[1].equals("RESOLVED")), Html.escape(p[2]), Html.escape("sent to " + p[3]),
                        Html.escape(p.length > 4 ? p[4] : "")));
            }
            b.append(Html.table(List.of("at", "event", "alert", "delivery", "summary"), rows,
                    "No notification in the last 7 days."));
        } catch (IOException | RuntimeException e) {
            b.append(Html.errorBox("history.log is unreadable", Pages.reason(e)));
        }
        return b.append("</section>\n").toString();
    }
}
