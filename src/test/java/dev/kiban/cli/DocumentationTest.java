package dev.kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The completion script and man pages the package installs come from the whole command tree. */
class DocumentationTest {
    @TempDir
    Path dir;

    @Test
    void everyCommandAndSubcommandGetsACompletionAndAManPage() throws Exception {
        Path completion = dir.resolve("kiban.bash");
        Path man = dir.resolve("man");
        Documentation.main(new String[] {completion.toString(), man.toString()});
        String script = Files.readString(completion);
        assertThat(script).contains("complete -F _complete_kiban");
        for (String command : Main.COMMANDS.keySet()) {
            assertThat(script).contains(command);
            assertThat(man.resolve("kiban-" + command + ".adoc")).isRegularFile();
        }
        assertThat(man.resolve("kiban.adoc")).isRegularFile();
        assertThat(man.resolve("kiban-backup-run.adoc")).isRegularFile();
        assertThat(Files.readString(man.resolve("kiban-backup-run.adoc")))
                .contains(":doctype: manpage").contains("--source").contains("Exit codes");
    }
}
