package dev.kiban.host;

import java.util.ArrayList;
import java.util.List;

/**
 * The package sources a plan installs from, checked before apply changes anything: an apply that
 * would fail half-way at its first {@code apt-get install} or at EPEL's fail2ban instead stops first,
 * naming the source it cannot reach. Refreshing apt's lists is also what a fresh host needs (its
 * image often ships none). Pure: apply runs these commands.
 */
public final class PackageSources {
    /** EPEL 9's own tree, where Rocky 9 gets fail2ban (R7.3); epel-release points dnf at its mirrors. */
    static final String EPEL_URL = "https://dl.fedoraproject.org/pub/epel/9/Everything/x86_64/";

    /** One check: the command, and the source it proves reachable, named for the operator. */
    public record Check(PlannedCommand command, String source) {}

    private PackageSources() {}

    public static List<Check> checks(List<PlannedCommand> commands) {
        List<Check> out = new ArrayList<>();
        boolean apt = commands.stream().anyMatch(c -> c.program().equals("apt-get") && c.argv().contains("install"));
        boolean epel = commands.stream().anyMatch(c -> c.program().equals("dnf") && c.argv().contains("epel-release"));
        boolean dnf = commands.stream().anyMatch(c -> c.program().equals("dnf") && c.argv().contains("install"));
        if (apt) {
            // --error-on=any: a source that failed to download is an error, not a warning with exit 0
            out.add(new Check(PlannedCommand.of("refresh the package lists, checking every source answers",
                    List.of(), "apt-get", "update", "--error-on=any"), "the apt sources in /etc/apt"));
        }
        if (dnf) {
            out.add(new Check(PlannedCommand.of("check the enabled repositories answer", List.of(), "dnf", "-q",
                    "makecache"), "the enabled dnf repositories"));
        }
        if (epel) {
            // EPEL is not enabled yet (epel-release is among the packages): ask its tree directly, under a
            // throw-away repository name, so nothing is configured by the check
            out.add(new Check(PlannedCommand.of("check EPEL answers, where fail2ban comes from (R7.3)", List.of(),
                    "dnf", "-q", "--repofrompath=kiban-epel-check," + EPEL_URL, "--repo=kiban-epel-check",
                    "makecache"), "EPEL (" + EPEL_URL + ")"));
        }
        return List.copyOf(out);
    }
}
