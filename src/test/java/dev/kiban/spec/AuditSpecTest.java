package dev.kiban.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The spec's {@code audit} key: waivers must name a known check, say why, and not have expired. */
class AuditSpecTest {
    static final String FUTURE = LocalDate.now(ZoneOffset.UTC).plusDays(30).toString();

    static List<String> errors(String audit) {
        return SpecValidationTest.errors(SpecValidationTest.FILLED + audit);
    }

    @Test
    void theDefaultHasNoWaiversAndFailsOnHigh() {
        PlatformSpec s = SpecDocument.builtin().require();
        assertThat(s.audit().waivers()).isEmpty();
        assertThat(s.audit().failOn()).isEqualTo("high");
    }

    @Test
    void aWaiverWithIdReasonAndFutureDateIsAccepted() {
        assertThat(errors("audit: {waivers: [{id: \"5.12\", reason: batch sized by the host, expires: " + FUTURE
                + "}]}\n")).isEmpty();
    }

    @Test
    void aWaiverWithoutAReasonIsASpecErrorNamingIt() {
        assertThat(errors("audit: {waivers: [{id: \"5.12\", reason: \"\", expires: " + FUTURE + "}]}\n"))
                .singleElement().asString().contains("audit.waivers[0].reason").contains("says why");
    }

    @Test
    void aMissingReasonKeyIsASpecError() {
        assertThat(errors("audit: {waivers: [{id: \"5.12\", expires: " + FUTURE + "}]}\n"))
                .singleElement().asString().contains("audit.waivers[0].reason");
    }

    @Test
    void aPastDateIsASpecError() {
        assertThat(errors("audit: {waivers: [{id: kiban.ssh.password, reason: migration, expires: 2020-01-31}]}\n"))
                .singleElement().asString().contains("audit.waivers[0].expires").contains("expired on 2020-01-31");
    }

    @Test
    void aMalformedDateIsASpecError() {
        assertThat(errors("audit: {waivers: [{id: \"2.2\", reason: x, expires: next week}]}\n"))
                .singleElement().asString().contains("audit.waivers[0].expires").contains("YYYY-MM-DD");
    }

    @Test
    void anUnknownIdIsASpecError() {
        assertThat(errors("audit: {waivers: [{id: \"2.2\", reason: x, expires: " + FUTURE + "}, "
                + "{id: \"9.9\", reason: x, expires: " + FUTURE + "}]}\n"))
                .singleElement().asString().contains("audit.waivers[1].id").contains("\"9.9\"");
    }

    @Test
    void failOnIsASeverity() {
        assertThat(errors("audit: {failOn: severe}\n")).singleElement().asString().contains("audit.failOn");
    }

    @Test
    void theImageAgeIsNinetyDaysUnlessTheSpecSaysOtherwise() {
        assertThat(SpecDocument.builtin().require().audit().maxImageAgeDays()).isEqualTo(90);
        assertThat(errors("audit: {maxImageAgeDays: 30}\n")).isEmpty();
        assertThat(errors("audit: {maxImageAgeDays: 1}\n")).isEmpty();
        assertThat(SpecDocument.parse("kiban.yaml", SpecValidationTest.FILLED + "audit: {maxImageAgeDays: 30}\n",
                false).require().audit().maxImageAgeDays()).isEqualTo(30);
    }

    @Test
    void anImageAgeBelowOneDayIsASpecErrorNamingIt() {
        assertThat(errors("audit: {maxImageAgeDays: 0}\n")).singleElement().asString()
                .contains("audit.maxImageAgeDays").contains("at least 1");
        assertThat(errors("audit: {maxImageAgeDays: -5}\n")).singleElement().asString()
                .contains("audit.maxImageAgeDays").contains("not -5");
    }

    @Test
    void anImageAgeThatIsNotAWholeNumberIsASpecError() {
        assertThat(errors("audit: {maxImageAgeDays: ninety}\n")).singleElement().asString()
                .contains("audit.maxImageAgeDays").contains("whole number");
        assertThat(errors("audit: {maxImageAgeDays: 1.5}\n")).singleElement().asString()
                .contains("audit.maxImageAgeDays");
        assertThat(errors("audit: {maxImageAgeDays: 99999999999}\n")).singleElement().asString()
                .contains("audit.maxImageAgeDays");
    }

    @Test
    void theCatalogueHoldsEveryCisCheckOfTheBenchmark() {
        long cis = AuditIds.all().keySet().stream().filter(id -> !id.startsWith("kiban.")).count();
        assertThat(cis).isEqualTo(117);
        assertThat(AuditIds.all()).containsEntry("5.32",
                "Ensure that the Docker socket is not mounted inside any containers");
    }

    @Test
    void aKeyIsLocatedAtTheLineThatWritesIt() {
        SpecDocument doc = SpecDocument.parse("kiban.yaml", SpecValidationTest.FILLED
                + "engine:\n  liveRestore: true\n", false);
        assertThat(doc.locate("engine.liveRestore")).map(SpecNode.Location::line).contains(5);
        assertThat(doc.locate("engine.userlandProxy")).map(SpecNode.Location::line).contains(4);
        assertThat(doc.locate("backup.schedule")).isEmpty();
    }
}
