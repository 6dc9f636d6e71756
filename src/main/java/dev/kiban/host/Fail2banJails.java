package dev.kiban.host;

import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.SpecText;
import dev.kiban.spec.SpecText.Form;
import java.util.List;

/**
 * fail2ban (R7.3): the design's values in {@code jail.local}, both jails reading the journal rather
 * than log files that do not exist on Rocky 9 (D3, D14), and the {@code docker-api} filter fail2ban
 * does not ship (D3). The filter matches the engine's own log lines for refused TLS clients and
 * authorization-plugin denials, the traces an attack on the API leaves.
 */
public final class Fail2banJails {
    public static final String JAIL = "/etc/fail2ban/jail.local";
    public static final String FILTER = "/etc/fail2ban/filter.d/docker-api.conf";

    private Fail2banJails() {}

    public static List<Artifact> render(PlatformSpec spec) {
        var f = spec.security().fail2ban();
        // jail.local interpolates %(...)s: the action is a known shortcut, the addresses single words
        String admin = SpecText.requireFilled("admin.email", Form.EMAIL, spec.admin().email());
        String action = SpecText.require("security.fail2ban.action", Form.FAIL2BAN_ACTION, f.action());
        String from = SpecText.require("security.updates.emailFrom", Form.EMAIL, spec.security().updates().emailFrom());
        StringBuilder jail = new StringBuilder(ManagedFile.header("#", "R7.3, D3, D14"));
        jail.append("[DEFAULT]\n")
                .append("bantime = ").append(f.bantime().seconds()).append('\n')
                .append("findtime = ").append(f.findtime().seconds()).append('\n')
                .append("maxretry = ").append(f.maxretry()).append('\n')
                .append("destemail = ").append(admin).append('\n')
                .append("sender = ").append(from).append('\n')
                .append("action = %(").append(action).append(")s\n")
                .append("# Both services log to the journal on Rocky 9 and Debian 12; log files would be empty "
                        + "(D14).\n")
                .append("backend = systemd\n");
        if (f.jails().contains("sshd")) {
            // jail.conf's [sshd] sets its own backend, which would win over [DEFAULT].
            jail.append("\n[sshd]\nenabled = true\nport = ").append(spec.security().ssh().port())
                    .append("\nbackend = systemd\n");
        }
        if (f.jails().contains("docker-api")) {
            jail.append("\n[docker-api]\nenabled = true\nport = 2375,2376\nfilter = docker-api\n")
                    .append("# dockerd logs to the journal, not /var/log/docker.log (D3).\n")
                    .append("journalmatch = _SYSTEMD_UNIT=docker.service\n")
                    .append("backend = systemd\n")
                    .append("# action_mwl greps the jail's logpath for the offending lines; this jail has none, its "
                            + "lines\n")
                    .append("# are in the journal (D14), so mail without them.\n")
                    .append("action = %(").append(f.action().replace("_mwl", "_mw")).append(")s\n");
        }
        String filter = ManagedFile.header("#", "D3") + """
                # Failed attempts on the Docker API as dockerd logs them: TLS clients without a valid
                # certificate, and requests an authorization plugin refused.
                [Definition]
                failregex = ^.*http: TLS handshake error from <HOST>:\\d+
                            ^.*authorization denied by plugin.*(?:from|remote[_ ]?addr[=:] ?)<HOST>
                ignoreregex =

                [Init]
                journalmatch = _SYSTEMD_UNIT=docker.service
                """;
        return List.of(
                Artifact.config(JAIL, jail.toString(), "fail2ban jails (R7.3)", Artifact.Reader.FAIL2BAN),
                Artifact.config(FILTER, filter, "the docker-api filter fail2ban lacks (D3)", Artifact.Reader.FAIL2BAN));
    }
}
