package dev.kiban.backup;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Names read from a snapshot are printed with every control escaped: a terminal must not act on them. */
class FileRestorePlanTest {
    @Test
    void c0C1AndInvisibleCharactersAreEscaped() {
        assertThat(FileRestorePlan.printable("vol\u001b[31m\u009b2J\u202egnp.exe\u2028x"))
                .isEqualTo("vol\\x1b[31m\\x9b2J\\u202egnp.exe\\u2028x");
        assertThat(SafeRestore.printable("a\nb")).isEqualTo("\"a\\x0ab\"");
    }

    @Test
    void longNamesAreCut() {
        assertThat(FileRestorePlan.printable("x".repeat(300))).hasSize(203).endsWith("...");
    }
}
