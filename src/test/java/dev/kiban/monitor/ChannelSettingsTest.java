package dev.kiban.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.SpecDocument;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChannelSettingsTest {
    static PlatformSpec spec(String channels) {
        return SpecDocument.parse("kiban.yaml", "admin: {email: ops@example.org}\nmonitor: {channels: " + channels
                + "}\n", false).require();
    }

    @Test
    void aChannelWhoseSecretIsInAnAbsentEnvironmentVariableIsTheAgentsToJudge() {
        PlatformSpec fromEnv = spec("{discord: {webhook: env:HOOK}, mail: {password: env:SMTP_PW, username: u}}");
        assertThat(ChannelSettings.needsAbsentEnvironment(fromEnv, "discord", Map.of())).isTrue();
        assertThat(ChannelSettings.needsAbsentEnvironment(fromEnv, "discord", Map.of("HOOK", ""))).isTrue();
        assertThat(ChannelSettings.needsAbsentEnvironment(fromEnv, "discord", Map.of("HOOK", "https://x/y")))
                .isFalse();
        assertThat(ChannelSettings.needsAbsentEnvironment(fromEnv, "mail", Map.of())).isTrue();
        PlatformSpec fromFiles = spec("{discord: {webhook: file:/etc/kiban/hook}}");
        assertThat(ChannelSettings.needsAbsentEnvironment(fromFiles, "discord", Map.of())).isFalse();
        assertThat(ChannelSettings.needsAbsentEnvironment(fromFiles, "mail", Map.of())).as("no password").isFalse();
        assertThat(ChannelSettings.needsAbsentEnvironment(fromFiles, "webhook", Map.of())).as("no url").isFalse();
    }
}
