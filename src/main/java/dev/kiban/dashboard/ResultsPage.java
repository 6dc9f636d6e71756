package dev.kiban.dashboard;

import dev.kiban.os.LatestResults;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The latest {@code kiban verify} and {@code kiban audit}, as those commands saved them ({@link LatestResults}):
 * the summary, the text report, and the JUnit and SARIF files to download. The dashboard never runs a check.
 */
final class ResultsPage {
    /** The downloads: path under /results/ and what it is. */
    static final List<Download> DOWNLOADS = List.of(
            new Download(LatestResults.Kind.VERIFY, LatestResults.Format.JUNIT),
            new Download(LatestResults.Kind.AUDIT, LatestResults.Format.JUNIT),
            new Download(LatestResults.Kind.AUDIT, LatestResults.Format.SARIF));

    record Download(LatestResults.Kind kind, LatestResults.Format format) {
        String path() {
            return "/results/" + kind.word() + format.ending();
        }
    }

    private ResultsPage() {}

    static String render(Sources sources) {
        StringBuilder b = new StringBuilder();
        LatestResults results = sources.results();
        for (LatestResults.Kind kind : LatestResults.Kind.values()) {
            b.append("<section id=\"").append(kind.word()).append("\"><h2>kiban ").append(kind.word())
                    .append("</h2>");
            try {
                Optional<LatestResults.Summary> summary = results.summary(kind);
                if (summary.isEmpty()) {
                    b.append("<p class=\"none\">Not run on this host yet: run <code>kiban ").append(kind.word())
                            .append("</code> and its result shows here.</p></section>\n");
                    continue;
                }
                LatestResults.Summary s = summary.get();
                b.append("<p>").append(Html.state(s.findings() ? "findings" : "ok", s.findings())).append(' ')
                        .append("<span class=\"summary\">").append(Html.escape(s.text())).append("</span> at ")
                        .append(Html.escape(s.at().toString())).append("</p><p>");
                for (Download d : DOWNLOADS) {
                    if (d.kind() == kind && results.report(kind, d.format()).isPresent()) {
                        b.append("<a class=\"download\" href=\"").append(d.path()).append("\" download>")
                                .append(Html.escape(d.format().name() + " report")).append("</a> ");
                    }
                }
                b.append("</p>");
                Optional<String> text = results.report(kind, LatestResults.Format.TEXT);
                text.ifPresent(t -> b.append("<pre>").append(Html.escape(t)).append("</pre>"));
            } catch (IOException e) {
                b.append(Html.errorBox("The saved result is unreadable", Pages.reason(e)));
            }
            b.append("</section>\n");
        }
        return b.toString();
    }

    /** A download's body and media type; empty when that report was not saved. */
    static Optional<Download> download(String path) {
        return DOWNLOADS.stream().filter(d -> d.path().equals(path)).findFirst();
    }
}
