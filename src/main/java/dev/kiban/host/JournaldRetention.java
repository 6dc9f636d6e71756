package dev.kiban.host;

import dev.kiban.spec.PlatformSpec;

/** journald keeps the logs the daily report and troubleshooting read for the spec's retention (R6.1). */
public final class JournaldRetention {
    private JournaldRetention() {}

    public static Artifact render(PlatformSpec spec) {
        long days = Math.max(1, spec.monitor().journalRetention().duration().toDays());
        String content = ManagedFile.header("#", "R6.1") + "[Journal]\nStorage=persistent\nMaxRetentionSec=" + days
                + "day\n";
        return Artifact.config("/etc/systemd/journald.conf.d/50-kiban.conf", content, "journal retention (R6.1)",
                Artifact.Reader.JOURNALD);
    }
}
