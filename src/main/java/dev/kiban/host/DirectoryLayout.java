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
    static HostDirectory layout(String key, HostPath dir, String mode, String why) {
        String path = SpecText.requireUnitPath(key, dir);
        if (dir.systemDirectory().isPresent()) {
            throw new SpecException(key + ": refusing to create or chmod a system directory");
        }
        return new HostDirectory(path, mode, "root:root", why);
    }

    public static List<HostDirectory> render(PlatformSpec spec) {
        var s = spec.storage();
        return List.of(
                layout("storage.data", s.data(), "rwxr-xr-x", "R4.1 the HDD's Docker area"),
                layout("storage.volumes", s.volumes(), "rwxr-xr-x", "R4.3 bind-mount volume tree"),
                layout("storage.images", s.images(), "rwxr-x---", "R4.2 image cache"),
                layout("storage.localBackups", s.localBackups(), "rwx------", "R4.1 local backups"),
                layout("storage.compose", s.compose(), "rwxr-x---", "R4.1 compose files"),
                layout("storage.commonEnv", s.commonEnv().parent(), "rwxr-x---", "R4.1 shared .env"),
                layout("backup.repository", spec.backup().repository(), "rwx------", "R5.3 backup repository"),
                new HostDirectory("/etc/kiban", "rwx------", "root:root", "kiban's spec and secrets"),
                new HostDirectory(STATE, "rwx------", "root:root", "kiban's state and generations"),
                new HostDirectory("/var/log/kiban", "rwxr-x---", "root:root", "kiban's logs"));
    }
}
