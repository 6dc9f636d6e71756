package dev.kiban.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiban.testing.RigHosts;
import dev.kiban.testing.RigHosts.Exec;
import dev.kiban.testing.RigHosts.Host;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Ordered steps on real-host rig hosts, as an operator takes them: one instance for the class, the steps in
 * their order, and after a failed step the rest are not run (they build on it; the class fails all the same).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(OrderAnnotation.class)
abstract class RigSteps {
    @RegisterExtension
    static final RigHosts RIG = new RigHosts();
    static final String SPEC = "/etc/kiban/kiban.yaml";
    static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final TestWatcher stopAfterAFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            failedStep = context.getDisplayName();
        }
    };
    String failedStep;

    @BeforeEach
    void onlyAfterTheStepsBeforeSucceeded() {
        Assumptions.assumeTrue(failedStep == null, () -> "an earlier step failed: " + failedStep);
    }

    /** The installed kiban on {@code h}, with the spec at {@link #SPEC}. */
    static Exec kiban(Host h, String... args) {
        List<String> argv = new ArrayList<>(List.of("kiban", "-c", SPEC));
        argv.addAll(List.of(args));
        return h.exec(Duration.ofMinutes(10), argv.toArray(String[]::new));
    }

    /**
     * The operator's account {@code deploy}, whose key is {@code /root/deploy-key}: once applied, password login is
     * off, so the tests log in with it.
     */
    static void operatorWithKey(Host h) {
        h.execOk("useradd", "-m", "-s", "/bin/bash", "deploy");
        h.execOk("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", "/root/deploy-key");
        h.execOk("install", "-d", "-m", "700", "-o", "deploy", "-g", "deploy", "/home/deploy/.ssh");
        h.execOk("install", "-m", "600", "-o", "deploy", "-g", "deploy", "/root/deploy-key.pub",
                "/home/deploy/.ssh/authorized_keys");
    }
}
