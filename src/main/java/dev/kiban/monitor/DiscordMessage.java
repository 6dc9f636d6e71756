package dev.kiban.monitor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A notification as a Discord webhook message: one embed per alert event (red firing, green
 * resolved), within Discord's documented limits — 10 embeds, title 256, description 4096, footer 2048,
 * 6000 characters over all embeds, content 2000 — by truncating, so the API never answers 400 for size.
 */
public final class DiscordMessage {
    static final int MAX_EMBEDS = 10;
    static final int TITLE = 256;
    static final int DESCRIPTION = 4096;
    static final int FOOTER = 2048;
    static final int CONTENT = 2000;
    static final int TOTAL = 6000;
    static final int USERNAME = 80;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RED = 0xE74C3C;
    private static final int GREEN = 0x2ECC71;
    private static final int BLUE = 0x3498DB;

    private DiscordMessage() {}

    public static ObjectNode of(Notification n, boolean redelivery) {
        ObjectNode msg = JSON.createObjectNode();
        msg.put("username", cut("kiban " + n.host(), USERNAME));
        msg.put("content", cut(n.title() + (redelivery ? " (sent again after an interruption; it may be a repeat)"
                : ""), CONTENT));
        msg.putObject("allowed_mentions").putArray("parse"); // an alert text never pings anyone
        ArrayNode embeds = msg.putArray("embeds");
        List<AlertEvent> events = n.events();
        int budget = TOTAL;
        int shown = Math.min(events.size(), events.size() > MAX_EMBEDS ? MAX_EMBEDS - 1 : MAX_EMBEDS);
        String footer = cut("kiban · " + n.id(), FOOTER);
        for (int i = 0; i < shown; i++) {
            AlertEvent e = events.get(i);
            // what is left, split over the embeds still to come
            int share = budget / (shown - i + (events.size() > shown ? 1 : 0));
            String title = cut((e.kind() == AlertEvent.Kind.RESOLVED ? "RESOLVED " : "FIRING ") + e.key(),
                    Math.min(TITLE, Math.max(1, share / 4)));
            String description = cut(e.summary() + (e.kind() == AlertEvent.Kind.REPEAT
                    ? "\nfiring since " + e.since() : ""),
                    Math.min(DESCRIPTION, Math.max(1, share - title.length() - footer.length())));
            String foot = cut(footer, Math.max(0, share - title.length() - description.length()));
            ObjectNode embed = embeds.addObject().put("title", title).put("description", description)
                    .put("color", n.test() ? BLUE : e.kind() == AlertEvent.Kind.RESOLVED ? GREEN : RED)
                    .put("timestamp", e.at().toString());
            if (!foot.isEmpty()) embed.putObject("footer").put("text", foot);
            budget -= title.length() + description.length() + foot.length();
        }
        if (events.size() > shown) {
            String more = "… and " + (events.size() - shown) + " more: kiban alert ls on " + n.host();
            embeds.addObject().put("title", cut(more, Math.min(TITLE, Math.max(1, budget)))).put("color", RED);
        }
        if (events.isEmpty()) {
            embeds.addObject().put("title", cut(n.title(), TITLE)).put("description",
                    "This is a test: the path from kiban to this channel works.").put("color", BLUE);
        }
        return msg;
    }

    /**
     * The characters Discord counts toward its 6000 limit: every embed's title, description, field names and
     * values, footer, author.
     */
    static int counted(ObjectNode msg) {
        int n = 0;
        for (var e : msg.path("embeds")) {
            n += e.path("title").asText("").length() + e.path("description").asText("").length()
                    + e.path("footer").path("text").asText("").length()
                    + e.path("author").path("name").asText("").length();
            for (var f : e.path("fields")) n += f.path("name").asText("").length()
                    + f.path("value").asText("").length();
        }
        return n;
    }

    static String cut(String s, int max) {
        if (s.length() <= max) return s;
        if (max <= 1) return s.substring(0, Math.max(0, max));
        return s.substring(0, max - 1) + "…";
    }
}
