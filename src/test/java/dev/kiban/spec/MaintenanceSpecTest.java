package dev.kiban.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The spec's {@code maintenance} key: the weekly routine's times, the image age, the read-back share. */
class MaintenanceSpecTest {
    static List<String> errors(String maintenance) {
        return SpecValidationTest.errors(SpecValidationTest.FILLED + maintenance);
    }

    @Test
    void theDefaultsAreWeeklyThirtyDaysAndAFivePercentSample() {
        PlatformSpec.Maintenance m = SpecDocument.builtin().require().maintenance();
        assertThat(m.images().olderThan().duration()).isEqualTo(Duration.ofDays(30));
        assertThat(m.images().schedule().onCalendar()).isEqualTo("Sun *-*-* 03:00:00");
        assertThat(m.verify().readData().value()).isEqualTo(5);
        assertThat(m.engineUpdate().schedule().onCalendar()).isEqualTo("Mon *-*-* 05:00:00");
        assertThat(m.logs().value()).isEqualTo("/var/log/kiban");
    }

    @Test
    void aPartialSectionKeepsTheRest() {
        assertThat(errors("maintenance: {images: {olderThan: 2w}}\n")).isEmpty();
    }

    @Test
    void eachValueOutOfShapeIsAnErrorAtItsKey() {
        assertThat(errors("maintenance: {images: {olderThan: 2h}}\n")).singleElement().asString()
                .contains("maintenance.images.olderThan");
        assertThat(errors("maintenance: {verify: {readData: 0%}}\n")).singleElement().asString()
                .contains("maintenance.verify.readData");
        assertThat(errors("maintenance: {verify: {readData: 150%}}\n")).singleElement().asString()
                .contains("maintenance.verify.readData");
        assertThat(errors("maintenance: {engineUpdate: {schedule: \"every monday\"}}\n")).singleElement().asString()
                .contains("maintenance.engineUpdate.schedule");
    }
}
