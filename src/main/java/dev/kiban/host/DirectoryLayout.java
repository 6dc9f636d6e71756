package dev.kiban.host;

import dev.kiban.spec.PlatformSpec;
import java.util.List;

/** The directory layout of R4.1, with owners and modes: backups and kiban's own state are root-only. */
public final class DirectoryLayout {
    public static final String STATE = "/var/lib/kiban";
    public static final String GENERATIONS = STATE + "/generations";

    private DirectoryLayout() {}

    public static List<HostDirectory> render(PlatformSpec spec) {
        var s = spec.storage();
        String commonDir = s.commonEnv().value().substring(0, s.commonEnv().value().lastIndexOf('/'));
        return List.of(
                new HostDirectory(s.data().value(), "rwxr-xr-x", "root:root", "R4.1 the HDD's Docker area"),
                new HostDirectory(s.volumes().value(), "rwxr-xr-x", "root:root", "R4.3 bind-mount volume tree"),
                new HostDirectory(s.images().value(), "rwxr-x---", "root:root", "R4.2 image cache"),
                new HostDirectory(s.localBackups().value(), "rwx------", "root:root", "R4.1 local backups"),
                new HostDirectory(s.compose().value(), "rwxr-x---", "root:root", "R4.1 compose files"),
                new HostDirectory(commonDir, "rwxr-x---", "root:root", "R4.1 shared .env"),
                new HostDirectory(spec.backup().repository().value(), "rwx------", "root:root", "R5.3 backup repository"),
                new HostDirectory("/etc/kiban", "rwx------", "root:root", "kiban's spec and secrets"),
                new HostDirectory(STATE, "rwx------", "root:root", "kiban's state and generations"),
                new HostDirectory("/var/log/kiban", "rwxr-x---", "root:root", "kiban's logs"));
    }
}
