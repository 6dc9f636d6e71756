package dev.kiban.docs;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** argv as one line a POSIX shell reads back as the same words: a word with anything unusual single-quoted. */
final class ShellWords {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private ShellWords() {}

    static String join(List<String> argv) {
        return argv.stream().map(ShellWords::quote).collect(Collectors.joining(" "));
    }

    static String quote(String word) {
        if (PLAIN.matcher(word).matches()) return word;
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
