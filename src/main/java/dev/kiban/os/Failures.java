package dev.kiban.os;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.util.regex.Pattern;

/**
 * An operator's sentence for a failure: the file and what is wrong with it ("/etc/x: permission denied"),
 * never a Java class name (an {@link UncheckedIOException}'s message, say, is its cause's class and text).
 */
public final class Failures {
    /** A qualified exception class name, with the ": " that follows it in {@code Throwable.toString()}. */
    private static final Pattern CLASS_NAME = Pattern.compile(
            "\\b(?:java|javax|jdk|sun|com\\.fasterxml|picocli|dev\\.kiban)\\.[A-Za-z0-9_.$]*(?:Exception|Error)\\b"
                    + ":?\\s*");

    private Failures() {}

    /** The failure as one line: the file named and the problem, in words. */
    public static String describe(Throwable e) {
        Throwable t = e;
        while (t instanceof UncheckedIOException && t.getCause() != null) t = t.getCause();
        String line;
        if (t instanceof FileSystemException f) {
            line = file(f) + ": " + problem(f);
        } else if (t instanceof IOException || t instanceof IllegalArgumentException) {
            line = t.getMessage() == null ? "an input or output error" : t.getMessage();
        } else {
            line = t.getMessage() == null ? "an internal error (run again with --verbose)" : t.getMessage();
        }
        return CLASS_NAME.matcher(firstLine(line)).replaceAll("").strip();
    }

    private static String file(FileSystemException f) {
        String file = f.getFile() == null ? "a file" : f.getFile();
        return f.getOtherFile() == null ? file : file + " -> " + f.getOtherFile();
    }

    private static String problem(FileSystemException f) {
        if (f instanceof AccessDeniedException) return "permission denied";
        if (f instanceof NoSuchFileException) return "no such file or directory";
        if (f instanceof FileAlreadyExistsException) return "already exists";
        if (f instanceof DirectoryNotEmptyException) return "the directory is not empty";
        if (f instanceof NotDirectoryException) return "not a directory";
        if (f instanceof NotLinkException) return "not a symbolic link";
        if (f instanceof FileSystemLoopException) return "a loop of symbolic links";
        String reason = f.getReason();
        return reason == null || reason.isBlank() ? "the file system refused"
                : reason.toLowerCase(java.util.Locale.ROOT);
    }

    private static String firstLine(String s) {
        return s.lines().findFirst().orElse("");
    }
}
