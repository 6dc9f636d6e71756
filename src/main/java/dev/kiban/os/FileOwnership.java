package dev.kiban.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;

/** Sets {@code user:group} on a path; only root may give files away, so others keep their own. */
public final class FileOwnership {
    private FileOwnership() {}

    /** Whether {@link #set} can give a file to {@code owner} here: its user and group exist (or it sets nothing). */
    public static boolean resolvable(Path anywhere, String owner) {
        if (owner.isEmpty() || !"root".equals(System.getProperty("user.name"))) return true;
        String[] ug = owner.split(":", 2);
        UserPrincipalLookupService lookup = anywhere.getFileSystem().getUserPrincipalLookupService();
        try {
            lookup.lookupPrincipalByName(ug[0]);
            if (ug.length > 1) lookup.lookupPrincipalByGroupName(ug[1]);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public static void set(Path path, String owner) throws IOException {
        if (owner.isEmpty() || !"root".equals(System.getProperty("user.name"))) return;
        String[] ug = owner.split(":", 2);
        UserPrincipalLookupService lookup = path.getFileSystem().getUserPrincipalLookupService();
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        try {
            view.setOwner(lookup.lookupPrincipalByName(ug[0]));
            if (ug.length > 1) {
                GroupPrincipal group = lookup.lookupPrincipalByGroupName(ug[1]);
                view.setGroup(group);
            }
        } catch (UserPrincipalNotFoundException e) {
            throw new IOException("no such user or group on this machine: " + owner, e);
        }
    }
}
