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

    @Test
    void theOffSiteCopyIsOffByDefaultAndTakesAPathSftpOrS3() {
        assertThat(SpecDocument.builtin().require().maintenance().offsiteCopy()).isEmpty();
        assertThat(errors("maintenance: {offsiteCopy: {to: /mnt/offsite/kiban}}\n")).isEmpty();
        assertThat(errors("maintenance: {offsiteCopy: {to: \"sftp://backup@offsite.example.org:2222/srv/kiban\", "
                + "identity: /etc/kiban/id_ed25519, knownHosts: /etc/kiban/known_hosts}}\n")).isEmpty();
        assertThat(errors("maintenance: {offsiteCopy: {to: \"s3://kiban-backup/host-a\", schedule: \"0 6 * * 0\", "
                + "endpoint: \"https://s3.example.org:9000\", region: ap-northeast-1, "
                + "credentialsFile: /etc/kiban/s3}}\n")).isEmpty();
    }

    /** Each lands in a unit's argv: refused at its key, file and line, never rendered. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"relative/dir", "/mnt/off site", "/mnt/../etc",
            "/mnt/offsite/", "/mnt/a;reboot", "/mnt/$(reboot)", "/mnt/a%n", "sftp://backup@host/srv/../etc",
            "sftp://host/srv", "sftp://backup@host:99999/srv", "sftp://backup@host", "sftp://-oProxyCommand=x@h/p",
            "s3://Bucket/x", "s3://b", "s3://bucket/a b", "s3://bucket/..", "ftp://host/x", "/mnt/a\\nb",
            "/mnt/backup/docker/copy", "/mnt"})
    void aHostileOrOverlappingTargetIsASpecErrorAtItsKey(String to) {
        String quoted = "\"" + to.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        assertThat(errors("maintenance: {offsiteCopy: {to: " + quoted + "}}\n")).singleElement().asString()
                .contains("maintenance.offsiteCopy.to", "kiban.yaml:");
    }

    @Test
    void anOptionOfTheOtherKindOfTargetOrOutOfShapeIsAnError() {
        assertThat(errors("maintenance: {offsiteCopy: {to: /mnt/offsite, identity: /etc/kiban/id}}\n"))
                .singleElement().asString().contains("maintenance.offsiteCopy.identity");
        assertThat(errors("maintenance: {offsiteCopy: {to: \"sftp://u@h/p\", endpoint: \"https://h\"}}\n"))
                .singleElement().asString().contains("maintenance.offsiteCopy.endpoint");
        assertThat(errors("maintenance: {offsiteCopy: {to: \"s3://bucket\", endpoint: \"https://h/x?y=$(id)\"}}\n"))
                .singleElement().asString().contains("maintenance.offsiteCopy.endpoint");
        assertThat(errors("maintenance: {offsiteCopy: {to: \"s3://bucket\", region: \"us east\"}}\n"))
                .singleElement().asString().contains("maintenance.offsiteCopy.region");
        assertThat(errors("maintenance: {offsiteCopy: {to: \"s3://bucket\", credentialsFile: \"a b\"}}\n"))
                .singleElement().asString().contains("maintenance.offsiteCopy.credentialsFile");
    }
}
