package dev.kiban.dashboard;

/** The live stream of the engine's container events; {@code /static/events.js} follows {@code /events/stream}. */
final class EventsPage {
    private EventsPage() {}

    static String render() {
        return "<p>Container and Swarm node events as the engine sends them, newest first: <span id=\"stream-state\">"
                + "connecting</span>.</p>\n<ol id=\"events\" reversed></ol>\n"
                + "<noscript><p>This page needs JavaScript for the live stream (one small file kiban serves).</p>"
                + "</noscript>\n";
    }
}
