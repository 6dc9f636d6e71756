package dev.kiban.os;

/**
 * Text made safe for an XML attribute or element, as the JUnit reports of {@code verify} and {@code audit} need:
 * the five markup characters escaped and the control characters XML 1.0 cannot carry dropped (an engine's error
 * may hold any byte).
 */
public final class XmlText {
    private XmlText() {}

    public static String escape(String s) {
        StringBuilder out = new StringBuilder();
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                default -> {
                    if (ch >= 0x20 || ch == '\n' || ch == '\t') out.append(ch);
                }
            }
        }
        return out.toString();
    }
}
