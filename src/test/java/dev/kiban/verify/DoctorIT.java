package dev.kiban.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.RestartPolicy;
import dev.kiban.cli.KibanProcess;
import dev.kiban.testing.LiveEngine;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** kiban doctor on containers the test breaks on purpose. */
@ExtendWith(LiveEngine.class)
class DoctorIT {

    @Test
    void findsAnOomKill(LiveEngine live) throws Exception {
        String name = live.create("kiban-it-oom", c -> c.withCmd("sh", "-c", "echo filling memory; tail /dev/zero")
                .withHostConfig(HostConfig.newHostConfig().withMemory(32L << 20).withMemorySwap(32L << 20)));
        LiveEngine.docker().startContainerCmd(name).exec();
        LiveEngine.docker().waitContainerCmd(name).start().awaitStatusCode();
        KibanProcess.Result r = KibanProcess.run("doctor", name);
        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        assertThat(r.out()).contains("1. State       " + name, "OOM-killed", "filling memory", " oom", "7. SELinux")
                .contains("Most likely:   killed by the kernel for memory (OOMKilled) at its limit of 32M");
    }

    @Test
    void findsACrashLoopAndItsLastWords(LiveEngine live) throws Exception {
        String name = live.create("kiban-it-crash", c -> c.withCmd("sh", "-c",
                "echo connecting; echo 'ERROR: database unreachable' >&2; exit 3")
                .withHostConfig(HostConfig.newHostConfig().withRestartPolicy(RestartPolicy.onFailureRestart(3))));
        LiveEngine.docker().startContainerCmd(name).exec();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            var state = LiveEngine.docker().inspectContainerCmd(name).exec();
            if (!Boolean.TRUE.equals(state.getState().getRunning())
                    && !Boolean.TRUE.equals(state.getState().getRestarting()) && state.getRestartCount() >= 3) break;
            Thread.sleep(300);
        }
        KibanProcess.Result r = KibanProcess.run("doctor", name);
        assertThat(r.out()).contains("Most likely:   a crash loop with code 3; its last words: ERROR: database "
                + "unreachable");
        assertThat(List.of(r.exit())).containsExactly(1);
    }

    @Test
    void aHealthyContainerHasNoFault(LiveEngine live) throws Exception {
        String name = live.create("kiban-it-healthy", c -> c.withImage("kiban-test/web:latest").withCmd("httpd", "-f",
                "-p", "8080", "-h", "/www"));
        LiveEngine.docker().startContainerCmd(name).exec();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline
                && !"healthy".equals(LiveEngine.docker().inspectContainerCmd(name).exec().getState().getHealth()
                        .getStatus())) {
            Thread.sleep(300);
        }
        KibanProcess.Result r = KibanProcess.run("doctor", name);
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("Most likely:   no fault found: running, healthy, within its limits",
                "3. Stats       CPU");
    }
}
