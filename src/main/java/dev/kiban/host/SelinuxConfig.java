package dev.kiban.host;

import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.PlatformSpec.Family;
import dev.kiban.spec.SpecText;
import dev.kiban.spec.SpecText.Form;
import java.util.List;
import java.util.Optional;

/**
 * SELinux's mode and policy at boot (R7.4): {@code /etc/selinux/config} on rhel. Rendered for Rocky
 * Linux 9 from its documentation; no Rocky machine checks it in kiban's tests (the golden file does).
 * A host where SELinux is disabled now has no labels on its files, so turning it on asks for a full
 * relabel at the next boot ({@code /.autorelabel}); kiban plans that rather than refusing, and says the
 * reboot is the operator's to make.
 */
public final class SelinuxConfig {
    public static final String CONFIG = "/etc/selinux/config";
    public static final String AUTORELABEL = "/.autorelabel";

    private SelinuxConfig() {}

    /** Empty on debian, and when the spec says disabled (RHEL 9 disables it with selinux=0 at boot, not here). */
    public static List<Artifact> render(PlatformSpec spec) {
        var selinux = spec.security().selinux();
        if (spec.host().family() != Family.RHEL || selinux.mode().equals("disabled")) return List.of();
        String policy = SpecText.require("security.selinux.policy", Form.WORD, selinux.policy());
        String content = ManagedFile.header("#", "R7.4, D8")
                + "# Enforcing is what confines the containers; targeted is the policy container-selinux extends.\n"
                + "SELINUX=" + selinux.mode() + "\n"
                + "SELINUXTYPE=" + policy + "\n";
        return List.of(Artifact.config(CONFIG, content, "SELinux mode and policy at boot (R7.4)",
                Artifact.Reader.SELINUX));
    }

    /** Whether the host's config says SELinux is disabled (the last SELINUX= line wins, as in libselinux). */
    static boolean disabledNow(Optional<ObservedFile> config) {
        String mode = "";
        for (String line : config.map(ObservedFile::content).orElse("").split("\n")) {
            String t = line.strip();
            if (t.startsWith("SELINUX=")) mode = t.substring("SELINUX=".length()).strip();
        }
        return mode.equalsIgnoreCase("disabled");
    }

    /**
     * The flag file that makes the next boot relabel every file system. Empty on purpose: the relabel
     * service passes its content to fixfiles as options, so a comment header would break it.
     */
    static Artifact relabelAtBoot() {
        return Artifact.config(AUTORELABEL, "", "relabel every file at the next boot: SELinux was disabled (R7.4)",
                Artifact.Reader.SELINUX);
    }

    static final String REBOOT_NOTE = "SELinux is disabled on this host now: reboot to turn it on; that boot "
            + "relabels every file (/.autorelabel) and reboots once more (R7.4)";
}
