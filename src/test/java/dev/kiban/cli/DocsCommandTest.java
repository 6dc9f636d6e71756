package dev.kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.kiban.docs.Book;
import dev.kiban.docs.BookFiles;
import dev.kiban.docs.Procedures;
import dev.kiban.host.HostConfiguration;
import dev.kiban.spec.AuditIds;
import dev.kiban.spec.PlatformSpec.Family;
import dev.kiban.spec.SpecDocument;
import dev.kiban.verify.Check;
import dev.kiban.verify.IntegrationChecks;
import dev.kiban.verify.UnitChecks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kiban docs: every documented command is one kiban parses, every proof a check that exists; the files written. */
class DocsCommandTest {
    static final String RECORDED = """
            admin: {email: ops@example.org}
            monitor: {channels: {discord: {webhook: env:DISCORD_WEBHOOK}}}
            security: {ssh: {allowUsers: [deploy]}}
            swarm:
              advertiseAddress: 192.168.10.11
              nodeNetworks: [192.168.10.0/24]
              nodes:
                - {name: ws1, address: 192.168.10.11, role: manager}
                - {name: ws2, address: 192.168.10.12, role: worker}
            """;

    @TempDir
    Path tmp;

    static List<Book> books() {
        List<Book> books = new ArrayList<>();
        for (String text : List.of(RECORDED, RECORDED.replaceAll("(?s)  nodes:.*", ""))) {
            for (Family family : List.of(Family.DEBIAN, Family.RHEL)) {
                books.add(Procedures.book(SpecDocument.parse("kiban.yaml", text, false).require()
                        .resolved(family, "192.0.2.1"), List.of("hello"), DocsCommand.verifyChecks()));
                books.add(Procedures.book(SpecDocument.parse("kiban.yaml", text, false).require()
                        .resolved(family, "192.0.2.1"), List.of(), DocsCommand.verifyChecks()));
            }
        }
        return books;
    }

    /** A renamed command or flag fails here: each kiban command of the book parses with kiban's command line. */
    @Test
    void everyDocumentedKibanCommandParses() {
        int parsed = 0;
        for (Book book : books()) {
            for (Book.Chapter c : book.chapters()) {
                for (Book.Step s : c.steps()) {
                    if (!s.kiban()) continue;
                    String[] args = s.command().subList(1, s.command().size()).toArray(String[]::new);
                    var cli = Main.commandLine(new KibanContext(Map.of(), a -> {
                        throw new AssertionError("parsing must not reach the engine");
                    }), args);
                    assertThatCode(() -> cli.parseArgs(args)).as(c.file() + ": " + s.command())
                            .doesNotThrowAnyException();
                    parsed++;
                }
            }
        }
        assertThat(parsed).isGreaterThan(100);
    }

    @Test
    void everyProofNamesACheckThatExists() {
        List<String> verify = new ArrayList<>();
        UnitChecks.all().stream().map(Check::id).forEach(verify::add);
        IntegrationChecks.all().stream().map(Check::id).forEach(verify::add);
        assertThat(DocsCommand.verifyChecks().keySet()).containsExactlyElementsOf(verify);
        for (Book book : books()) {
            for (Book.Chapter c : book.chapters()) {
                for (Book.Step s : c.steps()) {
                    for (Book.Proof p : s.proofs()) {
                        if (p.kind() == Book.Proof.Kind.VERIFY) {
                            assertThat(verify).as(c.file()).contains(p.id());
                        } else {
                            assertThat(AuditIds.known(p.id())).as(c.file() + ": " + p.id()).isTrue();
                        }
                    }
                }
            }
        }
    }

    /** A kiban unit the book names (systemctl status kiban-monitor.service, ...) is one kiban apply writes. */
    @Test
    void everyKibanUnitTheBookNamesIsOneApplyWrites() {
        int named = 0;
        for (Family family : List.of(Family.DEBIAN, Family.RHEL)) {
            var spec = SpecDocument.parse("kiban.yaml", RECORDED, false).require().resolved(family, "192.0.2.1");
            List<String> units = HostConfiguration.render(spec).artifacts().stream()
                    .map(a -> a.path().substring(a.path().lastIndexOf('/') + 1)).toList();
            Book book = Procedures.book(spec, List.of("hello"), DocsCommand.verifyChecks());
            for (Book.Chapter c : book.chapters()) {
                for (Book.Step s : c.steps()) {
                    for (String word : s.command()) {
                        if (word.matches("kiban-[a-z-]+\\.(service|timer)")) {
                            assertThat(units).as(c.file()).contains(word);
                            named++;
                        }
                    }
                }
            }
        }
        assertThat(named).isGreaterThanOrEqualTo(4);
    }

    private Path spec() throws Exception {
        Path file = tmp.resolve("kiban.yaml");
        Files.writeString(file, RECORDED + "storage: {compose: " + tmp.resolve("compose") + "}\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        Files.createDirectories(tmp.resolve("compose/hello"));
        Files.writeString(tmp.resolve("compose/hello/docker-compose.yml"), "services: {}\n");
        Files.createDirectories(tmp.resolve("compose/notastack"));
        return file;
    }

    @Test
    void writesBothEditionsAndReplacesItsOwnEarlierOutput() throws Exception {
        Path spec = spec();
        Path out = tmp.resolve("book");
        CommandLineTest.Run r = CommandLineTest.run("-c", spec.toString(), "docs", "--family", "debian", "--out",
                out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(out.resolve("index.md")).exists();
        assertThat(out.resolve(BookFiles.MARKER)).exists();
        assertThat(Files.readString(out.resolve("ja/3.1-docker-environment-setup.md")))
                .contains("kiban stack deploy hello").doesNotContain("notastack");
        assertThat(out.resolve("en/disaster-recovery.md")).exists();

        CommandLineTest.Run html = CommandLineTest.run("-c", spec.toString(), "docs", "--family", "debian",
                "--format", "html", "--lang", "en", "--out", out.toString());
        assertThat(html.exit()).as(html.err()).isZero();
        assertThat(out.resolve("en/upgrade.html")).exists();
        assertThat(out.resolve("ja")).doesNotExist();
        assertThat(out.resolve("index.md")).doesNotExist();
        try (var s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".book."));
        }
    }

    @Test
    void aStackDirectorysHostileNameIsTextInTheHtml() throws Exception {
        Path spec = spec();
        Path hostile = tmp.resolve("compose/<script>x'\"");
        Files.createDirectories(hostile);
        Files.writeString(hostile.resolve("docker-compose.yml"), "services: {}\n");
        Path out = tmp.resolve("book");
        CommandLineTest.Run r = CommandLineTest.run("-c", spec.toString(), "docs", "--family", "rhel", "--format",
                "html", "--out", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        String page = Files.readString(out.resolve("en/3.1-docker-environment-setup.html"));
        assertThat(page).contains("kiban stack deploy &#39;&lt;script&gt;x&#39;\\&#39;&#39;&quot;&#39;")
                .doesNotContain("<script");
    }

    @Test
    void refusesADirectoryItDidNotWrite() throws Exception {
        Path spec = spec();
        Path out = tmp.resolve("mine");
        Files.createDirectories(out);
        Files.writeString(out.resolve("notes.txt"), "keep me");
        CommandLineTest.Run r = CommandLineTest.run("-c", spec.toString(), "docs", "--family", "debian", "--out",
                out.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("not an earlier output of kiban docs");
        assertThat(out.resolve("notes.txt")).hasContent("keep me");
        try (var s = Files.list(out)) {
            assertThat(s).hasSize(1);
        }
    }

    @Test
    void badChoicesAreUsageErrors() throws Exception {
        Path spec = spec();
        assertThat(CommandLineTest.run("-c", spec.toString(), "docs", "--format", "pdf", "--out",
                tmp.resolve("x").toString()).exit()).isEqualTo(2);
        assertThat(CommandLineTest.run("-c", spec.toString(), "docs", "--lang", "fr", "--out",
                tmp.resolve("x").toString()).exit()).isEqualTo(2);
        assertThat(CommandLineTest.run("-c", spec.toString(), "docs").exit()).isEqualTo(2);
        assertThat(tmp.resolve("x")).doesNotExist();
    }

    @Test
    void helpListsTheExitCodes() {
        CommandLineTest.Run r = CommandLineTest.run("docs", "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("--format", "--lang", "--out", "Exit 0: written. 2:", "3: --out could not");
    }
}
