package dev.kiban.host;

import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.SpecText;
import dev.kiban.spec.SpecText.Form;
import java.util.List;
import java.util.Locale;

/**
 * logwatch (R6.1): the design's {@code logwatch.conf}, plus the {@code docker} service definition and
 * script that logwatch does not ship, without which {@code Service = docker} aborts the report. The
 * service reads dockerd's journal and summarises its warnings and errors.
 */
public final class LogwatchReport {
    public static final String CONF = "/etc/logwatch/conf/logwatch.conf";
    public static final String SERVICE = "/etc/logwatch/conf/services/docker.conf";
    public static final String SCRIPT = "/etc/logwatch/scripts/services/docker";

    private LogwatchReport() {}

    public static List<Artifact> render(PlatformSpec spec) {
        var r = spec.monitor().report();
        StringBuilder conf = new StringBuilder(ManagedFile.header("#", "R6.1"));
        SpecText.require("monitor.report.detail", Form.LOGWATCH_DETAIL, r.detail());
        String from = SpecText.require("security.updates.emailFrom", Form.EMAIL, spec.security().updates().emailFrom());
        String admin = SpecText.requireFilled("admin.email", Form.EMAIL, spec.admin().email());
        String range = SpecText.require("monitor.report.range", Form.LOGWATCH_RANGE, r.range());
        conf.append("Detail = ").append(capitalized(r.detail())).append('\n')
                .append("MailTo = ").append(admin).append('\n')
                .append("MailFrom = ").append(from).append('\n')
                .append("Range = ").append(capitalized(range)).append('\n')
                // an empty Service empties the package's list (its default.conf says All): logwatch 7.12
                // (Debian 13) refuses named services after All, older ones report every service
                .append("Service = \"\"\n");
        for (String s : r.services()) {
            conf.append("Service = ").append(SpecText.require("monitor.report.services", Form.WORD, s)).append('\n');
        }
        String service = ManagedFile.header("#", "R6.1") + """
                Title = "Docker"
                # dockerd logs to the journal; there is no log file to read.
                LogFile = none
                *JournalCtl = "--output=cat --unit=docker.service"
                """;
        // The two long printf lines end in \ and go on at the block's margin: one script line, byte for byte.
        String script = """
                #!/usr/bin/perl
                # Managed by kiban (R6.1): summarises dockerd's journal for logwatch.
                use strict;
                use warnings;
                my $detail = $ENV{'LOGWATCH_DETAIL_LEVEL'} || 0;
                my (%errors, %warnings, $lines);
                while (my $line = <STDIN>) {
                    chomp $line;
                    $lines++;
                    my ($level) = $line =~ /level=(\\w+)/;
                    my ($msg) = $line =~ /msg="((?:[^"\\\\]|\\\\.)*)"/;
                    $msg = $line unless defined $msg;
                    $msg =~ s/[0-9a-f]{12,64}/<id>/g;
                    $level = 'error' if !defined $level && $line =~ /\\b(?:error|fatal|panic)\\b/i;
                    next unless defined $level;
                    if ($level =~ /^(?:error|fatal|panic)$/) { $errors{$msg}++ }
                    elsif ($level eq 'warning' && $detail >= 5) { $warnings{$msg}++ }
                }
                if (%errors) {
                    print "Errors:\\n";
                    printf "   %s: %d time(s)\\n", $_, $errors{$_} \
                for sort { $errors{$b} <=> $errors{$a} || $a cmp $b } keys %errors;
                }
                if (%warnings) {
                    print "Warnings:\\n";
                    printf "   %s: %d time(s)\\n", $_, $warnings{$_} \
                for sort { $warnings{$b} <=> $warnings{$a} || $a cmp $b } keys %warnings;
                }
                exit 0;
                """;
        return List.of(
                Artifact.config(CONF, conf.toString(), "daily report (R6.1)", Artifact.Reader.LOGWATCH),
                Artifact.config(SERVICE, service, "the docker service logwatch lacks (R6.1)", Artifact.Reader.LOGWATCH),
                Artifact.config(SCRIPT, script, "the docker service script (R6.1)", Artifact.Reader.LOGWATCH)
                .withMode("rwxr-xr-x"));
    }

    private static String capitalized(String word) {
        return word.isEmpty() ? word : word.substring(0, 1).toUpperCase(Locale.ROOT)
                + word.substring(1).toLowerCase(Locale.ROOT);
    }
}
