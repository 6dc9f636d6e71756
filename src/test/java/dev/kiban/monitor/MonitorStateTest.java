package dev.kiban.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiban.failure.RefusedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A damaged state file is an operator's problem with a sentence, and no reason for the agent not to run. */
class MonitorStateTest {
    @TempDir
    Path dir;

    @Test
    void aDamagedAlertsFileIsRefusedByName() throws Exception {
        MonitorState state = new MonitorState(dir);
        Files.writeString(dir.resolve("alerts.json"), "{\"updated\": \"2026-12-05T12:00:00Z\", \"alerts\": [");
        assertThatThrownBy(state::alerts).isInstanceOf(RefusedException.class)
                .hasMessageContaining(dir.resolve("alerts.json").toString())
                .hasMessageContaining("cannot be read")
                .hasMessageContaining("move it aside");
        Files.writeString(dir.resolve("silences.json"), "null");
        assertThatThrownBy(state::silences).isInstanceOf(RefusedException.class)
                .hasMessageContaining("silences.json cannot be read, it is empty");
    }

    @Test
    void theAgentSetsADamagedFileAsideAndStartsAfresh() throws Exception {
        MonitorState state = new MonitorState(dir);
        Files.writeString(dir.resolve("alerts.json"), "not json");
        Files.writeString(dir.resolve("alerts.json.bad"), "an earlier one");
        Files.writeString(dir.resolve("silences.json"), "[{");
        List<String> log = new ArrayList<>();

        assertThat(state.alertsOrSetAside(log::add)).isEmpty();
        assertThat(state.silencesOrSetAside(log::add)).isEmpty();

        assertThat(dir.resolve("alerts.json")).doesNotExist();
        assertThat(dir.resolve("alerts.json.bad")).hasContent("an earlier one");
        assertThat(dir.resolve("alerts.json.1.bad")).hasContent("not json");
        assertThat(dir.resolve("silences.json.bad")).hasContent("[{");
        assertThat(log).hasSize(2);
        assertThat(log.get(0)).contains("alerts.json cannot be read")
                .endsWith("moved to alerts.json.1.bad, starting without it.");
        assertThat(log.get(1)).contains("silences.json cannot be read").contains("moved to silences.json.bad");

        // and the next save and read work as before
        state.saveAlerts(Instant.parse("2026-12-05T12:00:00Z"), List.of());
        assertThat(state.alertsOrSetAside(log::add)).hasValueSatisfying(s -> assertThat(s.alerts()).isEmpty());
        assertThat(log).hasSize(2);
    }
}
