package dev.kiban.host;

import dev.kiban.spec.HostPath;
import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.SpecException;
import dev.kiban.spec.SpecText;
import java.util.ArrayList;
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
        List<HostDirectory> layout = new ArrayList<>(List.of(
                layout("storage.data", s.data(), "rwxr-xr-x", "the HDD's Docker area (R4.1)"),
                layout("storage.volumes", s.volumes(), "rwxr-xr-x", "bind-mount volume tree (R4.3)"),
                layout("storage.images", s.images(), "rwxr-x---", "image cache (R4.2)"),
                layout("storage.localBackups", s.localBackups(), "rwx------", "local backups (R4.1)"),
                layout("storage.compose", s.compose(), "rwxr-x---", "compose files (R4.1)"),
                layout("storage.commonEnv", s.commonEnv().parent(), "rwxr-x---", "shared .env (R4.1)"),
                layout("backup.repository", spec.backup().repository(), "rwx------", "backup repository (R5.3)"),
                new HostDirectory("/etc/kiban", "rwx------", "root:root", "kiban's spec and secrets"),
                new HostDirectory(STATE, "rwx------", "root:root", "kiban's state and generations"),
                new HostDirectory("/var/log/kiban", "rwxr-x---", "root:root", "kiban's logs")));
        // after the layout, so a unit's directory inside one of its directories comes after its parent
        for (HostDirectory d : MonitorService.directories(spec)) {
            if (layout.stream().noneMatch(l -> l.path().equals(d.path()))) layout.add(d);
        }
        return List.copyOf(layout);
    }
}
