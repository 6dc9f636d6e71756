package dev.kiban.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/kiban, the one launcher of the checkout and of the package (/usr/bin/kiban): which java and jar
 * it finds relative to itself, and the JVM options it gives each kind of command. A stand-in java
 * prints the command line it was given.
 */
class LauncherTest {
    private static final Path LAUNCHER = Path.of("bin/kiban");
    private static final String STAND_IN = "#!/bin/sh\necho \"$0\"\nprintf '%s\\n' \"$@\"\n";

    @TempDir
    Path dir;

    private static void executable(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** The installed layout: PREFIX/bin/kiban, PREFIX/lib/kiban/{kiban.jar,kiban.aot,runtime/bin/java}. */
    private Path installed() throws IOException {
        Path usr = dir.resolve("usr");
        executable(usr.resolve("bin/kiban"), Files.readString(LAUNCHER));
        Files.createDirectories(usr.resolve("lib/kiban"));
        Files.writeString(usr.resolve("lib/kiban/kiban.jar"), "jar");
        Files.writeString(usr.resolve("lib/kiban/kiban.aot"), "aot");
        executable(usr.resolve("lib/kiban/runtime/bin/java"), STAND_IN);
        return usr;
    }

    private List<String> run(Path launcher, List<String> path, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(launcher.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("KIBAN_JAR");
        pb.environment().remove("KIBAN_JAVA_OPTS");
        List<String> dirs = new ArrayList<>(path);
        dirs.add("/usr/bin");
        dirs.add("/bin");
        pb.environment().put("PATH", String.join(":", dirs));
        Process p = pb.start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        return out.lines().toList();
    }

    @Test
    void installedItRunsThePackagesRuntimeOnItsJarWithTheAotCache() throws Exception {
        Path usr = installed();
        List<String> argv = run(usr.resolve("bin/kiban"), List.of(), "status", "--json");
        assertThat(argv.get(0)).isEqualTo(usr.resolve("lib/kiban/runtime/bin/java").toString());
        assertThat(argv).contains("-XX:TieredStopAtLevel=1", "-Djdk.reflect.useNativeAccessorOnly=true",
                "-XX:+UseSerialGC", "-XX:AOTCache=" + usr.resolve("lib/kiban/kiban.aot"), "--add-opens",
                "java.base/sun.nio.fs=ALL-UNNAMED").doesNotContain("-Xshare:auto");
        assertThat(argv.subList(argv.indexOf("-cp"), argv.size())).containsExactly("-cp",
                usr.resolve("lib/kiban/kiban.jar").toString(), "dev.kiban.cli.Main", "status", "--json");
    }

    @Test
    void throughALinkItStillFindsItsTree() throws Exception {
        Path usr = installed();
        Path link = dir.resolve("elsewhere/kiban");
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, usr.resolve("bin/kiban"));
        assertThat(run(link, List.of(), "--version").get(0))
                .isEqualTo(usr.resolve("lib/kiban/runtime/bin/java").toString());
    }

    @Test
    void backupsGetTheFullJitAndTheMonitorASmallHeap() throws Exception {
        Path usr = installed();
        List<String> backup = run(usr.resolve("bin/kiban"), List.of(), "-c", "x.yaml", "backup", "run");
        assertThat(backup).doesNotContain("-XX:TieredStopAtLevel=1", "-Djdk.reflect.useNativeAccessorOnly=true")
                .contains("--add-opens", "java.base/sun.nio.fs=ALL-UNNAMED", "-XX:+UseSerialGC");
        List<String> monitor = run(usr.resolve("bin/kiban"), List.of(), "monitor");
        assertThat(monitor).doesNotContain("-Djdk.reflect.useNativeAccessorOnly=true");
        assertThat(monitor).contains("-XX:TieredStopAtLevel=1", "-Xms16m", "-Xmx64m", "-XX:ReservedCodeCacheSize=32m",
                "-Xss512k");
    }

    @Test
    void fromACheckoutItRunsTheJavaOnPathOnTargetsJarWithItsAppCdsArchive() throws Exception {
        Path checkout = dir.resolve("checkout");
        executable(checkout.resolve("bin/kiban"), Files.readString(LAUNCHER));
        Files.createDirectories(checkout.resolve("target"));
        Files.writeString(checkout.resolve("target/kiban.jar"), "jar");
        Files.writeString(checkout.resolve("target/kiban.jsa"), "jsa");
        Path jdk = dir.resolve("jdk/bin");
        executable(jdk.resolve("java"), STAND_IN);
        List<String> argv = run(checkout.resolve("bin/kiban"), List.of(jdk.toString()), "spec", "validate");
        assertThat(argv.get(0)).isEqualTo(jdk.resolve("java").toString());
        assertThat(argv).contains("-Xshare:auto", "-XX:SharedArchiveFile=" + checkout.resolve("target/kiban.jsa"))
                .noneMatch(a -> a.startsWith("-XX:AOTCache"));
        assertThat(argv.subList(argv.indexOf("-cp"), argv.size())).containsExactly("-cp",
                checkout.resolve("target/kiban.jar").toString(), "dev.kiban.cli.Main", "spec", "validate");
    }

    @Test
    void withoutAJarItSaysHowToBuildOne() throws Exception {
        Path checkout = dir.resolve("empty");
        executable(checkout.resolve("bin/kiban"), Files.readString(LAUNCHER));
        Process p = new ProcessBuilder(checkout.resolve("bin/kiban").toString(), "--version")
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(3);
        assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).contains("mvn -q package");
    }
}
