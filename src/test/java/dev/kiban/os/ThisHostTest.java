package dev.kiban.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.PlatformSpec.Family;
import dev.kiban.spec.SpecDocument;
import dev.kiban.spec.SpecException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Family and address decided on temporary roots; the machine's own address is a parameter. */
class ThisHostTest {
    @TempDir
    Path dir;

    /** A valid spec with {@code yaml} added: an empty document is not one. */
    static PlatformSpec spec(String yaml) {
        return SpecDocument.parse("kiban.yaml", "admin: {email: ops@example.org}\n" + yaml, false).require();
    }

    Path root(String name, String osRelease) throws IOException {
        Path root = Files.createDirectories(dir.resolve(name).resolve("etc")).getParent();
        if (osRelease != null) Files.writeString(root.resolve("etc/os-release"), osRelease);
        return root;
    }

    static ThisHost host(Path root, Optional<Path> fallback, Optional<String> address) {
        return new ThisHost(root, fallback, () -> address);
    }

    @Test
    void theSpecsFamilyWinsThenTheOptionThenTheRootsOsRelease() throws IOException {
        Path rocky = root("rocky", "ID=\"rocky\"\nID_LIKE=\"rhel centos fedora\"\n");
        ThisHost h = host(rocky, Optional.empty(), Optional.empty());
        assertThat(h.family(spec("host: {family: debian}\n"), Optional.empty())).contains(Family.DEBIAN);
        assertThat(h.family(spec("host: {family: debian}\n"), Optional.of(Family.DEBIAN))).contains(Family.DEBIAN);
        assertThat(h.family(spec(""), Optional.of(Family.DEBIAN))).contains(Family.DEBIAN);
        assertThat(h.family(spec(""), Optional.empty())).contains(Family.RHEL);
    }

    @Test
    void anOptionThatContradictsTheSpecIsRefusedNotIgnored() throws IOException {
        Path rocky = root("rocky2", "ID=\"rocky\"\n");
        assertThatThrownBy(() -> host(rocky, Optional.empty(), Optional.empty())
                .family(spec("host: {family: debian}\n"), Optional.of(Family.RHEL)))
                .isInstanceOf(dev.kiban.failure.UsageException.class)
                .hasMessage("--family rhel contradicts host.family: debian in the spec; "
                        + "drop the option or change the spec");
    }

    @Test
    void aRootWithoutOsReleaseFallsBackOnlyWhenAsked() throws IOException {
        Path bare = root("bare", null);
        Path debian = root("debian", "ID=debian\n");
        assertThat(host(bare, Optional.empty(), Optional.empty()).family(spec(""), Optional.empty())).isEmpty();
        assertThat(host(bare, Optional.of(debian), Optional.empty()).family(spec(""), Optional.empty()))
                .contains(Family.DEBIAN);
    }

    @Test
    void configuringTheHostNeedsAFamily() throws IOException {
        Path bare = root("bare", null);
        ThisHost h = host(bare, Optional.empty(), Optional.empty());
        assertThatThrownBy(() -> h.resolveForHost(spec(""), Optional.empty()))
                .isInstanceOf(SpecException.class).hasMessageContaining("cannot tell the OS family from")
                .hasMessageContaining("--family");
        PlatformSpec resolved = h.resolveForHost(spec(""), Optional.of(Family.RHEL));
        assertThat(resolved.host().family()).isEqualTo(Family.RHEL);
    }

    @Test
    void underARootTheAddressIsLoopbackAndTheMachinesIsNotAsked() throws IOException {
        Path rocky = root("rocky", "ID=rocky\nID_LIKE=rhel\n");
        ThisHost h = host(rocky, Optional.empty(), Optional.of("10.1.2.3"));
        assertThat(h.address(spec(""))).contains("127.0.0.1");
        assertThat(h.resolveForHost(spec(""), Optional.empty()).swarm().advertiseAddress().address())
                .isEqualTo("127.0.0.1");
    }

    @Test
    void onTheRealRootTheAddressIsTheSpecsElseThePrimaryOne() {
        ThisHost h = host(Path.of("/"), Optional.empty(), Optional.of("10.1.2.3"));
        assertThat(h.address(spec(""))).contains("10.1.2.3");
        assertThat(h.address(spec("swarm: {advertiseAddress: 192.168.7.7}\n"))).contains("192.168.7.7");
        assertThat(host(Path.of("/"), Optional.empty(), Optional.empty()).address(spec(""))).isEmpty();
    }

    @Test
    void swarmRequiresAnAddressOnlyWhenTheSpecLeavesItAuto() throws IOException {
        ThisHost noAddress = host(Path.of("/"), Optional.empty(), Optional.empty());
        assertThatThrownBy(() -> noAddress.resolveForSwarm(spec("host: {family: rhel}\n")))
                .isInstanceOf(SpecException.class).hasMessageContaining("no primary IPv4 address");
        String given = "host: {family: rhel}\nswarm: {advertiseAddress: 10.9.9.9}\n";
        assertThat(noAddress.resolveForSwarm(spec(given)).swarm().advertiseAddress().address()).isEqualTo("10.9.9.9");
    }

    @Test
    void showingLeavesWhatCannotBeDecidedAuto() throws IOException {
        Path bare = root("bare", null);
        PlatformSpec shown = host(bare, Optional.empty(), Optional.empty()).resolveAsFarAsKnown(spec(""));
        assertThat(shown.host().family()).isEqualTo(Family.AUTO);
        ThisHost noAddress = host(Path.of("/"), Optional.empty(), Optional.empty());
        assertThat(noAddress.resolveAsFarAsKnown(spec("host: {family: rhel}\n")).swarm().advertiseAddress().isAuto())
                .isTrue();
    }
}
