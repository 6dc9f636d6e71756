package dev.kiban.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.PlatformSpec.Family;
import dev.kiban.spec.SpecDocument;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * kiban-dashboard.service: absent unless dashboard.enabled, then the golden unit (src/test/resources/host,
 * regenerated with -Dkiban.golden.update=true and reviewed by hand) and its enable and restart commands.
 */
class DashboardServiceTest {
    static final Path GOLDEN = Path.of("src/test/resources/host/kiban-dashboard.service");

    static PlatformSpec spec(String dashboard) {
        return SpecDocument.parse("kiban.yaml", HostConfigurationTest.FILLED + dashboard, false).require()
                .resolved(Family.DEBIAN, "192.168.10.5");
    }

    @Test
    void noUnitUnlessEnabled() {
        HostConfiguration config = HostConfiguration.render(spec(""));
        assertThat(config.artifacts()).noneMatch(a -> a.path().equals(DashboardService.SERVICE));
        assertThat(config.commands()).noneMatch(c -> c.argv().contains("kiban-dashboard.service"));
    }

    @Test
    void enabledItIsTheGoldenUnitEnabledAndRestartedOnChange() throws Exception {
        HostConfiguration config = HostConfiguration.render(spec("dashboard: {enabled: true}\n"));
        String unit = config.artifacts().stream().filter(a -> a.path().equals(DashboardService.SERVICE)).findFirst()
                .orElseThrow().content();
        if (Boolean.getBoolean("kiban.golden.update")) Files.writeString(GOLDEN, unit);
        assertThat(unit).isEqualTo(Files.readString(GOLDEN));
        assertThat(config.commands()).anyMatch(c -> c.argv().equals(java.util.List.of("systemctl", "enable", "--now",
                "kiban-dashboard.service")) && c.after().contains(DashboardService.SERVICE));
        assertThat(config.commands()).anyMatch(c -> c.argv().equals(java.util.List.of("systemctl", "try-restart",
                "kiban-dashboard.service")));
    }

    @Test
    void beyondLoopbackTheSpecNeedsTlsAndAToken() {
        var problems = SpecDocument.parse("kiban.yaml", HostConfigurationTest.FILLED
                + "dashboard: {enabled: true, bind: \"10.0.0.5:9440\"}\n", false).problems();
        assertThat(problems.toString()).contains("dashboard.bind", "beyond loopback");
        var ok = SpecDocument.parse("kiban.yaml", HostConfigurationTest.FILLED + "dashboard: {enabled: true, bind: "
                + "\"10.0.0.5:9440\", tls: {certificate: /etc/kiban/d.crt, key: /etc/kiban/d.key}, tokenFile: "
                + "/etc/kiban/d.token}\n", false).problems();
        assertThat(ok.toString()).doesNotContain("dashboard");
        assertThat(SpecDocument.parse("kiban.yaml", HostConfigurationTest.FILLED
                + "dashboard: {bind: \"0.0.0.0:9440\"}\n", false).problems().toString()).contains("wildcard");
        assertThat(SpecDocument.parse("kiban.yaml", HostConfigurationTest.FILLED
                + "dashboard: {bind: \"example.org:9440\"}\n", false).problems().toString()).contains("IP address");
    }
}
