package dev.kiban.docs;

import dev.kiban.docs.Book.Chapter;
import dev.kiban.docs.Book.Lang;
import dev.kiban.docs.Book.Proof;
import dev.kiban.docs.Book.Step;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Set;

/**
 * A book as self-contained HTML pages: no script, no outside resource, every text escaped; a
 * Content-Security-Policy that allows nothing but the page's own style sheet, by its hash.
 */
public final class HtmlBook {
    static final String STYLE = "body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em;"
            + "line-height:1.6}pre{background:#f4f4f4;padding:.6em;overflow-x:auto}.proof{color:#333}"
            + "code{font-family:monospace}";
    static final String CSP = "default-src 'none'; style-src '" + sha256(STYLE) + "'; base-uri 'none';"
            + " form-action 'none'";

    private HtmlBook() {}

    public static String chapter(Book book, Chapter c, Lang lang) {
        StringBuilder b = head(lang, c.title(lang) + " — " + book.title(lang));
        b.append("<nav><a href=\"index.html\">").append(esc(BookFiles.backLabel(lang))).append("</a></nav>\n");
        b.append("<h1>").append(esc(c.title(lang))).append("</h1>\n");
        b.append("<p>").append(esc(c.intro(lang))).append("</p>\n");
        b.append("<p><em>").append(esc(BookFiles.generated(lang))).append("</em></p>\n<ol>\n");
        for (Step s : c.steps()) {
            b.append("<li><p>").append(esc(s.text(lang))).append("</p>\n");
            s.shellLine().ifPresent(line -> b.append("<pre><code>").append(esc(line)).append("</code></pre>\n"));
            if (!s.proofs().isEmpty()) {
                b.append("<p class=\"proof\">").append(esc(BookFiles.proofLabel(lang)))
                        .append(lang == Lang.JA ? "：" : ": ");
                for (int i = 0; i < s.proofs().size(); i++) {
                    Proof p = s.proofs().get(i);
                    if (i > 0) b.append(lang == Lang.JA ? "、" : ", ");
                    b.append("<code>").append(esc(BookFiles.proofTool(p))).append("</code> <code>").append(esc(p.id()))
                            .append("</code>");
                }
                b.append("</p>\n");
            }
            b.append("</li>\n");
        }
        return b.append("</ol>\n</body>\n</html>\n").toString();
    }

    public static String index(Book book, Lang lang) {
        StringBuilder b = head(lang, book.title(lang));
        b.append("<nav><a href=\"../index.html\">").append(esc(BookFiles.backLabel(lang))).append("</a></nav>\n");
        b.append("<h1>").append(esc(book.title(lang))).append("</h1>\n");
        b.append("<p><em>").append(esc(BookFiles.generated(lang))).append("</em></p>\n<ul>\n");
        for (Chapter c : book.chapters()) {
            b.append("<li><a href=\"").append(esc(c.file())).append(".html\">").append(esc(c.title(lang)))
                    .append("</a></li>\n");
        }
        return b.append("</ul>\n</body>\n</html>\n").toString();
    }

    public static String editions(Book book, Set<Lang> langs) {
        StringBuilder b = head(langs.contains(Lang.JA) ? Lang.JA : Lang.EN, book.titleJa() + " / " + book.titleEn());
        b.append("<h1>").append(esc(book.titleJa())).append(" / ").append(esc(book.titleEn())).append("</h1>\n<ul>\n");
        for (Lang l : Lang.values()) {
            if (langs.contains(l)) {
                b.append("<li><a href=\"").append(l.code()).append("/index.html\" hreflang=\"").append(l.code())
                        .append("\">").append(esc(BookFiles.editionName(l))).append("</a></li>\n");
            }
        }
        return b.append("</ul>\n</body>\n</html>\n").toString();
    }

    private static StringBuilder head(Lang lang, String title) {
        return new StringBuilder("<!DOCTYPE html>\n<html lang=\"").append(lang.code()).append("\">\n<head>\n")
                .append("<meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"").append(esc(CSP)).append("\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<meta name=\"generator\" content=\"kiban docs\">\n")
                .append("<title>").append(esc(title)).append("</title>\n")
                .append("<style>").append(STYLE).append("</style>\n</head>\n<body>\n");
    }

    /** Text and attribute values: the five characters HTML gives a meaning, as references. */
    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(ch);
            }
        }
        return b.toString();
    }

    private static String sha256(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + Base64.getEncoder().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
