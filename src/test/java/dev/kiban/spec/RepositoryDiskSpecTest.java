package dev.kiban.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** backup.repositoryDisk (issue 16, item 3): optional, one of uuid or label, a name and never a path. */
class RepositoryDiskSpecTest {
    static SpecDocument parse(String backup) {
        return SpecDocument.parse("kiban.yaml", "admin: {email: ops@example.org}\nbackup: " + backup + "\n", false);
    }

    @Test
    void theBuiltInSpecNamesNoDisk() {
        assertThat(SpecDocument.builtin().require().backup().repositoryDisk()).isEmpty();
        assertThat(SpecDocument.defaultText()).contains("repositoryDisk: null");
    }

    @Test
    void aUuidOrALabelIsRead() {
        assertThat(parse("{repositoryDisk: {uuid: 1b2c3d4e-5f60-4a1b-9c2d-3e4f5a6b7c8d}}").require().backup()
                .repositoryDisk().orElseThrow().uuid()).contains("1b2c3d4e-5f60-4a1b-9c2d-3e4f5a6b7c8d");
        assertThat(parse("{repositoryDisk: {uuid: 1A2B-3C4D}}").hasErrors()).isFalse();
        assertThat(parse("{repositoryDisk: {label: kiban-backup}}").require().backup().repositoryDisk()
                .flatMap(d -> d.label())).isEqualTo(Optional.of("kiban-backup"));
    }

    @Test
    void oneOfTheTwoAndOnlyANameIsAccepted() {
        for (String bad : new String[] {"{repositoryDisk: {}}", "{repositoryDisk: {uuid: ab, label: x}}",
                "{repositoryDisk: {uuid: \"../../sda1\"}}", "{repositoryDisk: {label: \"a/b\"}}",
                "{repositoryDisk: {label: \"..\"}}", "{repositoryDisk: {label: \"my disk\"}}",
                "{repositoryDisk: {uuid: xyz}}"}) {
            SpecDocument d = parse(bad);
            assertThat(d.hasErrors()).as(bad).isTrue();
            assertThat(d.problems()).as(bad).anyMatch(p -> p.toString().contains("backup.repositoryDisk"));
        }
    }
}
