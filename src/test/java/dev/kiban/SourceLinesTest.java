package dev.kiban;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every Java line within 120 columns, main and test, so a review never scrolls sideways. */
class SourceLinesTest {
    static final int COLUMNS = 120;

    @Test
    void noLineIsWiderThan120Columns() throws IOException {
        List<String> wide = new ArrayList<>();
        for (Path tree : List.of(Path.of("src/main/java"), Path.of("src/test/java"))) {
            try (Stream<Path> files = Files.walk(tree)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                    List<String> lines = Files.readAllLines(f);
                    for (int i = 0; i < lines.size(); i++) {
                        int width = lines.get(i).codePointCount(0, lines.get(i).length());
                        if (width > COLUMNS) wide.add(f + ":" + (i + 1) + " (" + width + " columns)");
                    }
                }
            }
        }
        assertThat(wide).as("lines over %d columns", COLUMNS).isEmpty();
    }
}
