package dev.kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.jar.Attributes;
import org.junit.jupiter.api.Test;

class KibanVersionTest {
    private static Attributes manifest(String version, String commit) {
        Attributes a = new Attributes();
        if (version != null) a.put(Attributes.Name.IMPLEMENTATION_VERSION, version);
        if (commit != null) a.putValue(KibanVersion.COMMIT, commit);
        return a;
    }

    @Test
    void theManifestsVersionAndCommitArePrinted() {
        assertThat(KibanVersion.lines(manifest("0.1.0", "b3ac55817d0e"))[0])
                .isEqualTo("kiban 0.1.0 (commit b3ac55817d0e)");
    }

    @Test
    void aBuildWithoutGitPrintsTheVersionAlone() {
        // the build leaves the property unexpanded when the source tree has no .git
        assertThat(KibanVersion.lines(manifest("0.1.0", "${git.commit.id.abbrev}"))[0]).isEqualTo("kiban 0.1.0");
        assertThat(KibanVersion.lines(manifest("0.1.0", null))[0]).isEqualTo("kiban 0.1.0");
    }

    @Test
    void withoutAVersionItIsADevelopmentBuild() {
        assertThat(KibanVersion.lines(manifest(null, null))[0]).isEqualTo("kiban (development build)");
        assertThat(KibanVersion.lines(manifest(null, null))[1]).startsWith("Java ");
    }
}
