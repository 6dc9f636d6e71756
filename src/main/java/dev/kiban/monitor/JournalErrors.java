package dev.kiban.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiban.os.HostPrograms;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Error-level journal entries (priority err and worse) of the units the design watches — docker, sshd
 * and fail2ban — since the previous read, grouped by unit. Read with {@code journalctl -o json}; a host
 * without journalctl simply has none. A journalctl that fails is an error, not "no errors".
 */
public final class JournalErrors {
    static final List<String> UNITS = List.of("docker.service", "ssh.service", "sshd.service", "fail2ban.service");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HostPrograms programs;
    private final Optional<Path> journalctl;
    private Instant since;

    public JournalErrors(HostPrograms programs, Instant since) {
        this.programs = programs;
        this.journalctl = programs.find("journalctl");
        this.since = since;
    }

    /**
     * Unit → messages, since the last successful call. Throws when journalctl cannot be started or fails; the
     * next call then covers the same time again.
     */
    public Map<String, List<String>> read() throws IOException {
        if (journalctl.isEmpty()) return Map.of();
        List<String> argv = new ArrayList<>(List.of(journalctl.get().toString(), "--no-pager", "-o", "json", "-p",
                "err", "--since", "@" + since.getEpochSecond()));
        UNITS.forEach(u -> argv.addAll(List.of("-u", u)));
        HostPrograms.Result r = programs.run(argv, Duration.ofSeconds(20));
        if (!r.ok()) throw new IOException("journalctl exited " + r.exit() + ": " + r.gist());
        Map<String, List<String>> out = parse(r.output(), since);
        since = Instant.now();
        return out;
    }

    /** journalctl's JSON lines, newer than {@code after} (--since is whole seconds), by unit without ".service". */
    static Map<String, List<String>> parse(String jsonLines, Instant after) {
        Map<String, List<String>> out = new TreeMap<>();
        long afterMicros = after.getEpochSecond() * 1_000_000L + after.getNano() / 1000;
        for (String line : jsonLines.lines().toList()) {
            if (!line.startsWith("{")) continue;
            try {
                JsonNode e = JSON.readTree(line);
                if (e.path("__REALTIME_TIMESTAMP").asLong(0) <= afterMicros) continue;
                String unit = e.path("_SYSTEMD_UNIT").asText(e.path("UNIT").asText("journal"))
                        .replaceFirst("\\.service$", "");
                JsonNode message = e.path("MESSAGE");
                out.computeIfAbsent(unit, u -> new ArrayList<>()).add(message.isTextual() ? message.asText()
                        : message.toString());
            } catch (IOException ex) {
                // a line journalctl cut short: skip it
            }
        }
        return out;
    }
}
