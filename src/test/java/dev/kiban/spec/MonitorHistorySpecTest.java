package dev.kiban.spec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The spec's {@code monitor.history}: the metrics history the dashboard graphs, on unless turned off. */
class MonitorHistorySpecTest {
    static final String SPEC = """
            admin: {email: ops@example.org}
            security: {ssh: {allowUsers: [deploy]}}
            monitor: {%s channels: {discord: {webhook: env:DISCORD_WEBHOOK}}}
            """;

    @Test
    void theHistoryIsOnByDefaultAndCanBeTurnedOff() {
        assertThat(SpecDocument.builtin().require().monitor().history()).isTrue();
        assertThat(SpecValidationTest.check(SPEC.formatted("")).require().monitor().history()).isTrue();
        assertThat(SpecValidationTest.check(SPEC.formatted("history: false,")).require().monitor().history())
                .isFalse();
    }

    @Test
    void anythingButTrueOrFalseIsAnErrorAtItsKey() {
        assertThat(SpecValidationTest.errors(SPEC.formatted("history: sometimes,"))).singleElement().asString()
                .contains("monitor.history").contains("true or false");
    }
}
