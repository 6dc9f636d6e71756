package dev.kiban.docs;

import java.util.List;
import java.util.Optional;

/**
 * The procedures as plain data: chapters of steps, each step its text in Japanese and English, the exact
 * command (argv, empty when the step is read rather than run) and the check that proves it. Rendered by
 * {@link MarkdownBook} and {@link HtmlBook}; built from the spec by {@link Procedures}.
 */
public record Book(String titleJa, String titleEn, List<Chapter> chapters) {

    /** The editions: Japanese, the design's language, and English. */
    public enum Lang {
        JA, EN;

        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** One procedure: {@code file} is its file name without the extension (the design's names for 3.1-3.4). */
    public record Chapter(String file, String titleJa, String titleEn, String introJa, String introEn,
            List<Step> steps) {
        public String title(Lang lang) {
            return lang == Lang.JA ? titleJa : titleEn;
        }

        public String intro(Lang lang) {
            return lang == Lang.JA ? introJa : introEn;
        }
    }

    public record Step(String ja, String en, List<String> command, List<Proof> proofs) {
        public String text(Lang lang) {
            return lang == Lang.JA ? ja : en;
        }

        /** Whether the command is kiban's own (its argv after {@code kiban} parses with kiban's command line). */
        public boolean kiban() {
            return !command.isEmpty() && command.get(0).equals("kiban");
        }

        public Optional<String> shellLine() {
            return command.isEmpty() ? Optional.empty() : Optional.of(ShellWords.join(command));
        }
    }

    /** What proves a step: a {@code kiban verify} check or a {@code kiban audit} check, by id. */
    public record Proof(Kind kind, String id) {
        public enum Kind { VERIFY, AUDIT }
    }

    public String title(Lang lang) {
        return lang == Lang.JA ? titleJa : titleEn;
    }
}
