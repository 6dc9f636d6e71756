package dev.kiban.cli;

import dev.kiban.docs.Book;
import dev.kiban.docs.BookFiles;
import dev.kiban.docs.Procedures;
import dev.kiban.failure.UsageException;
import dev.kiban.os.GeneratedDirectory;
import dev.kiban.os.ThisHost;
import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.SpecText;
import dev.kiban.verify.Check;
import dev.kiban.verify.IntegrationChecks;
import dev.kiban.verify.UnitChecks;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "docs", mixinStandardHelpOptions = true,
        header = "Write the procedures (design 3.1-3.4, upgrade, disaster recovery, adding a node) from the spec.",
        description = {
            "Writes the design's procedures as a book generated from the spec: 3.1 set-up, 3.2 storage and backup, 3.3"
                    + " monitoring and security, 3.4 validation, then upgrade (kiban and the engine), disaster recovery"
                    + " (a snapshot restored onto a fresh host) and adding a Swarm node. Each step is the exact command"
                    + " with the spec's own values; each check names the kiban verify or kiban audit check that"
                    + " proves it. The stacks are the directories under storage.compose that hold a"
                    + " docker-compose.yml.",
            "Files: <lang>/<chapter>.md|html and <lang>/index.md|html per edition (ja, the design's language; en),"
                    + " and index.md|html linking the editions. HTML pages are self-contained: no script, a strict"
                    + " Content-Security-Policy.",
            "--out is written whole or not at all: into a new directory beside it, then moved into place. An"
                    + " existing --out is replaced only when it is empty or an earlier output of kiban docs; any other"
                    + " directory is refused.",
            "Exit 0: written. 2: usage or spec error (nothing written). 3: --out could not be written (nothing left"
                    + " behind).",
            ""})
final class DocsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Where to write: absent, empty, or an earlier output of kiban docs.")
    Path out;

    @Option(names = "--format", paramLabel = "md|html", defaultValue = "md", description = "Markdown (default) or"
            + " HTML.")
    String format;

    @Option(names = "--lang", paramLabel = "ja|en|both", defaultValue = "both",
            description = "The edition: ja, en, or both (default).")
    String lang;

    @Option(names = "--family", paramLabel = "rhel|debian", converter = ChoiceConverter.FamilyChoice.class,
            description = "Write for this OS family when the spec says auto. Default: this host's.")
    PlatformSpec.Family family;

    @Override
    public Integer call() throws IOException {
        BookFiles.Format f = switch (format) {
            case "md" -> BookFiles.Format.MD;
            case "html" -> BookFiles.Format.HTML;
            default -> throw new UsageException("--format " + SpecText.shown(format) + ": md or html");
        };
        Set<Book.Lang> langs = switch (lang) {
            case "ja" -> EnumSet.of(Book.Lang.JA);
            case "en" -> EnumSet.of(Book.Lang.EN);
            case "both" -> EnumSet.allOf(Book.Lang.class);
            default -> throw new UsageException("--lang " + SpecText.shown(lang) + ": ja, en or both");
        };
        PlatformSpec resolved = ThisHost.system().resolveForHost(SpecLoading.spec(spec).require(),
                Optional.ofNullable(family));
        checkOut();
        Book book = Procedures.book(resolved, stacks(Path.of(resolved.storage().compose().value())),
                verifyChecks());
        Map<String, String> files = BookFiles.files(book, f, langs);
        write(files);
        spec.commandLine().getOut().println("Wrote " + out + ": " + book.chapters().size() + " chapters in "
                + langs.size() + (langs.size() == 1 ? " language" : " languages") + " (" + format + ").");
        return ExitCode.OK;
    }

    /** Every check of kiban verify, id to group (unit, integration), in verify's order. */
    static Map<String, String> verifyChecks() {
        Map<String, String> m = new LinkedHashMap<>();
        for (Check c : UnitChecks.all()) m.put(c.id(), c.group());
        for (Check c : IntegrationChecks.all()) m.put(c.id(), c.group());
        return m;
    }

    /** The stacks: directories (not links) under the compose tree holding a docker-compose.yml; none if unreadable. */
    static List<String> stacks(Path tree) {
        List<String> names = new ArrayList<>();
        if (!Files.isDirectory(tree, LinkOption.NOFOLLOW_LINKS)) return names;
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(tree)) {
            for (Path p : dir) {
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)
                        && Files.isRegularFile(p.resolve("docker-compose.yml"), LinkOption.NOFOLLOW_LINKS)) {
                    names.add(p.getFileName().toString());
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        names.sort(Comparator.naturalOrder());
        return names;
    }

    /** --out: absent, an empty directory or an earlier output of kiban docs; never a link, never another tree. */
    private void checkOut() throws IOException {
        switch (GeneratedDirectory.state(out, BookFiles.MARKER)) {
            case NO_PARENT -> throw new UsageException("--out " + out + ": its parent directory does not exist");
            case LINK -> throw new UsageException("--out " + out
                    + " is a symbolic link; kiban does not write through a link");
            case NOT_A_DIRECTORY -> throw new UsageException("--out " + out + " exists and is not a directory");
            case FOREIGN -> throw new UsageException("--out " + out + " is not empty and not an earlier output of kiban"
                    + " docs; name a new directory");
            default -> { }
        }
    }

    /** Every file into a new directory beside --out, moved into place: a reader sees the old book or the new. */
    private void write(Map<String, String> files) throws IOException {
        GeneratedDirectory.write(out, files);
    }
}
