package dev.kiban.host;

import dev.kiban.spec.HostPath;
import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.SpecException;
import dev.kiban.spec.SpecText;
import java.util.List;

/** The directory layout of R4.1, with owners and modes: backups and kiban's own state are root-only. */
public final class DirectoryLayout {
    public static final String STATE = "/var/lib/kiban";
    public static final String GENERATIONS = STATE + "/generations";

    private DirectoryLayout() {}

    /** A layout directory from the spec: a normal path and never a system directory, which apply would chmod. */
    static String layout(String key, HostPath dir) {
        String path = SpecText.requireUnitPath(key, dir);
        if (dir.systemDirectory().isPresent()) throw new SpecException(key + ": refusing to create or chmod a system directory");
        return path;
    }

    public static List<HostDirectory> render(PlatformSpec spec) {
        var s = spec.storage();
        return List.of(
                new HostDirectory(layout("storage.data", s.data()), "rwxr-xr-x", "root:root", "R4.1 the HDD's Docker area"),
                new HostDirectory(layout("storage.volumes", s.volumes()), "rwxr-xr-x", "root:root", "R4.3 bind-mount volume tree"),
                new HostDirectory(layout("storage.images", s.images()), "rwxr-x---", "root:root", "R4.2 image cache"),
                new HostDirectory(layout("storage.localBackups", s.localBackups()), "rwx------", "root:root", "R4.1 local backups"),
                new HostDirectory(layout("storage.compose", s.compose()), "rwxr-x---", "root:root", "R4.1 compose files"),
                new HostDirectory(layout("storage.commonEnv", s.commonEnv().parent()), "rwxr-x---", "root:root", "R4.1 shared .env"),
                new HostDirectory(layout("backup.repository", spec.backup().repository()), "rwx------", "root:root", "R5.3 backup repository"),
                new HostDirectory("/etc/kiban", "rwx------", "root:root", "kiban's spec and secrets"),
                new HostDirectory(STATE, "rwx------", "root:root", "kiban's state and generations"),
                new HostDirectory("/var/log/kiban", "rwxr-x---", "root:root", "kiban's logs"));
    }
}
