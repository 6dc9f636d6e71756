package dev.kiban.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.PlatformSpec.Family;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * systemd fails a unit's start (226/NAMESPACE) when a ReadWritePaths= directory is missing: each one
 * must be a directory apply creates, or the unit must have systemd create it (StateDirectory=).
 */
class MonitorServiceTest {
    private static String agent(PlatformSpec spec) {
        return HostConfiguration.render(spec).artifacts().stream().filter(a -> a.path().equals(MonitorService.SERVICE))
                .findFirst().orElseThrow().content();
    }

    @Test
    void theDefaultStateUnderVarLibIsCreatedBySystemd() {
        PlatformSpec spec = HostConfigurationTest.spec(Family.DEBIAN);
        assertThat(spec.monitor().state().value()).isEqualTo("/var/lib/kiban/monitor");
        assertThat(agent(spec)).contains("StateDirectory=kiban/monitor\nStateDirectoryMode=0700\n")
                .doesNotContain("ReadWritePaths=");
    }

    @Test
    void aStateElsewhereIsADirectoryOfThePlan() {
        PlatformSpec spec = RendererDefenceTest.withState("/srv/kiban/monitor");
        assertThat(agent(spec)).contains("ReadWritePaths=/srv/kiban/monitor\n").doesNotContain("StateDirectory=");
        assertThat(DirectoryLayout.render(spec)).filteredOn(d -> d.path().equals("/srv/kiban/monitor"))
                .singleElement().satisfies(d -> {
                    assertThat(d.mode()).isEqualTo("rwx------");
                    assertThat(d.owner()).isEqualTo("root:root");
                });
    }

    @Test
    void everyReadWritePathsOfEveryUnitIsCreatedByApply() {
        for (PlatformSpec spec : List.of(HostConfigurationTest.spec(Family.DEBIAN),
                HostConfigurationTest.spec(Family.RHEL), RendererDefenceTest.withState("/srv/kiban/monitor"))) {
            HostConfiguration config = HostConfiguration.render(spec);
            List<String> planned = config.directories().stream().map(HostDirectory::path).toList();
            config.artifacts().stream().filter(a -> a.path().startsWith("/etc/systemd/"))
                    .flatMap(a -> a.content().lines()).filter(l -> l.startsWith("ReadWritePaths="))
                    .flatMap(l -> List.of(l.substring("ReadWritePaths=".length()).split(" ")).stream())
                    .forEach(p -> assertThat(planned).as("ReadWritePaths=" + p).contains(p.replaceFirst("^-", "")));
        }
    }
}
