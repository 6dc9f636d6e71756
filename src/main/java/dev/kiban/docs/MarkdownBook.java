package dev.kiban.docs;

import dev.kiban.docs.Book.Chapter;
import dev.kiban.docs.Book.Lang;
import dev.kiban.docs.Book.Proof;
import dev.kiban.docs.Book.Step;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A book as CommonMark: every text escaped, every command in a fence longer than any backtick run inside. */
public final class MarkdownBook {
    private static final Pattern SPECIAL = Pattern.compile("[\\\\`*_\\[\\]<>|~&#!]");
    private static final Pattern TICKS = Pattern.compile("`+");

    private MarkdownBook() {}

    public static String chapter(Book book, Chapter c, Lang lang) {
        StringBuilder b = new StringBuilder();
        b.append("# ").append(text(c.title(lang))).append("\n\n");
        b.append(text(c.intro(lang))).append("\n\n");
        b.append("> ").append(text(BookFiles.generated(lang))).append("\n\n");
        int n = 1;
        for (Step s : c.steps()) {
            b.append("## ").append(n++).append(". ").append(text(s.text(lang))).append("\n\n");
            s.shellLine().ifPresent(line -> b.append(fence(line)));
            if (!s.proofs().isEmpty()) {
                b.append(BookFiles.proofLabel(lang)).append(lang == Lang.JA ? "：" : ": ");
                for (int i = 0; i < s.proofs().size(); i++) {
                    Proof p = s.proofs().get(i);
                    if (i > 0) b.append(lang == Lang.JA ? "、" : ", ");
                    b.append(code(BookFiles.proofTool(p))).append(" ").append(code(p.id()));
                }
                b.append("\n\n");
            }
        }
        b.append("[").append(text(BookFiles.backLabel(lang))).append("](index.md)\n");
        return b.toString();
    }

    public static String index(Book book, Lang lang) {
        StringBuilder b = new StringBuilder("# ").append(text(book.title(lang))).append("\n\n");
        b.append("> ").append(text(BookFiles.generated(lang))).append("\n\n");
        for (Chapter c : book.chapters()) {
            b.append("- [").append(text(c.title(lang))).append("](").append(c.file()).append(".md)\n");
        }
        return b.toString();
    }

    public static String editions(Book book, Set<Lang> langs) {
        StringBuilder b = new StringBuilder("# ").append(text(book.titleJa())).append(" / ")
                .append(text(book.titleEn())).append("\n\n");
        for (Lang l : Lang.values()) {
            if (langs.contains(l)) {
                b.append("- [").append(text(BookFiles.editionName(l))).append("](").append(l.code())
                        .append("/index.md)\n");
            }
        }
        return b.toString();
    }

    /** Text with every character Markdown gives a meaning (emphasis, links, HTML, code) backslash-escaped. */
    static String text(String s) {
        String oneLine = s.replace('\r', ' ').replace('\n', ' ');
        return SPECIAL.matcher(oneLine).replaceAll(m -> Matcher.quoteReplacement("\\" + m.group()));
    }

    /** A code span: delimited by one more backtick than the longest run inside, padded when it starts or ends one. */
    static String code(String s) {
        String ticks = "`".repeat(longestTicks(s) + 1);
        String pad = s.startsWith("`") || s.endsWith("`") ? " " : "";
        return ticks + pad + s.replace('\n', ' ') + pad + ticks;
    }

    static String fence(String line) {
        String ticks = "`".repeat(Math.max(3, longestTicks(line) + 1));
        return ticks + "sh\n" + line + "\n" + ticks + "\n\n";
    }

    private static int longestTicks(String s) {
        int longest = 0;
        Matcher m = TICKS.matcher(s);
        while (m.find()) longest = Math.max(longest, m.group().length());
        return longest;
    }
}
