package dev.kiban.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.docs.Book.Lang;
import dev.kiban.spec.PlatformSpec.Family;
import dev.kiban.spec.SpecDocument;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The book of the built-in spec (debian, the design's stacks of examples/stacks) in both formats and languages,
 * against golden files reviewed by hand (src/test/resources/docs/golden). To accept a deliberate change:
 * mvn test -Dtest=DocsGoldenTest -Dkiban.golden.update=true, then review the diff.
 */
class DocsGoldenTest {
    static final Path GOLDEN = Path.of("src/test/resources/docs/golden");

    @Test
    void theBuiltInSpecsBookMatchesTheGoldenFiles() throws IOException {
        Book book = Procedures.book(SpecDocument.builtin().require().resolved(Family.DEBIAN, "192.0.2.1"),
                List.of("blog", "hello", "monitoring", "webmail"), ProceduresTest.VERIFY);
        boolean update = Boolean.getBoolean("kiban.golden.update");
        List<String> expected = new java.util.ArrayList<>();
        for (BookFiles.Format format : BookFiles.Format.values()) {
            String dir = format.name().toLowerCase(java.util.Locale.ROOT);
            for (Map.Entry<String, String> f : BookFiles.files(book, format, EnumSet.allOf(Lang.class)).entrySet()) {
                Path golden = GOLDEN.resolve(dir).resolve(f.getKey());
                expected.add(dir + "/" + f.getKey());
                if (update) {
                    Files.createDirectories(golden.getParent());
                    Files.writeString(golden, f.getValue(), StandardCharsets.UTF_8);
                }
                assertThat(f.getValue()).as(f.getKey()).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
            }
        }
        try (Stream<Path> walk = Files.walk(GOLDEN)) {
            assertThat(walk.filter(Files::isRegularFile).map(p -> GOLDEN.relativize(p).toString()))
                    .containsExactlyInAnyOrderElementsOf(expected);
        }
    }
}
