package dev.kiban.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.testing.HostTools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packages `mvn package` builds (target/kiban.deb, target/kiban.rpm; packaging/build-tree), read
 * with the distributions' own tools, and the tree unpacked from them run as installed: the launcher,
 * its class archive after the move from the build's staging directory, completion and man pages.
 * No engine needed; it runs in the integration phase because it needs the packages.
 */
class PackageContentsIT {
    private static final Path DEB = Path.of("target/kiban.deb");
    private static final Path RPM = Path.of("target/kiban.rpm");
    private static final String VERSION = System.getProperty("kiban.version", "");
    private static final String COMMIT = System.getProperty("kiban.commit", "");

    /** What both packages must hold, beside the runtime's files. */
    private static final List<String> FILES = List.of("/usr/bin/kiban", "/usr/lib/kiban/kiban.jar",
            "/usr/lib/kiban/runtime/bin/java", "/usr/lib/kiban/runtime/lib/jspawnhelper",
            "/usr/lib/kiban/runtime/lib/server/libjvm.so", "/usr/lib/kiban/runtime/lib/server/classes.jsa",
            "/usr/share/bash-completion/completions/kiban", "/usr/share/man/man1/kiban.1.gz",
            "/usr/share/man/man1/kiban-backup-run.1.gz", "/usr/share/man/man1/kiban-status.1.gz",
            "/usr/share/doc/kiban/README.md", "/usr/share/doc/kiban/kiban.yaml.example");

    @TempDir
    static Path unpacked;

    @BeforeAll
    static void packagesWereBuilt() {
        assertThat(DEB).as("mvn package builds target/kiban.deb").isRegularFile();
        assertThat(RPM).as("mvn package builds target/kiban.rpm").isRegularFile();
    }

    record Run(int exit, String out, String err) {}

    static Run run(Map<String, String> env, String... argv) throws IOException, InterruptedException {
        Path out = Files.createTempFile("pkg-out", ".txt");
        Path err = Files.createTempFile("pkg-err", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(argv).redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().remove("KIBAN_JAR"); // Failsafe's, for the checkout's launcher: not this one's
            pb.environment().remove("KIBAN_JAVA_OPTS");
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", argv) + " did not finish in 120 s");
            }
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    static String ok(String... argv) throws IOException, InterruptedException {
        Run r = run(Map.of(), argv);
        assertThat(r.exit()).as(String.join(" ", argv) + "\n" + r.err()).isZero();
        return r.out();
    }

    /** Unpacks the .deb as dpkg lays it out (times kept), once; returns the root. */
    static synchronized Path debTree() throws IOException, InterruptedException {
        Path root = unpacked.resolve("deb");
        if (!Files.isDirectory(root)) {
            HostTools.require("dpkg-deb");
            ok("dpkg-deb", "-x", DEB.toString(), root.toString());
        }
        return root;
    }

    static synchronized Path rpmTree() throws IOException, InterruptedException {
        Path root = unpacked.resolve("rpm");
        if (!Files.isDirectory(root)) {
            HostTools.require("rpm2cpio");
            HostTools.require("cpio");
            Files.createDirectories(root);
            ok("sh", "-c", "cd '" + root + "' && rpm2cpio '" + RPM.toAbsolutePath() + "' | cpio -idm --quiet");
        }
        return root;
    }

    @Test
    void theDebHoldsTheRuntimeTheLauncherAndTheDocsButNeverTheSpec() throws Exception {
        HostTools.require("dpkg-deb");
        List<String> files = ok("dpkg-deb", "-c", DEB.toString()).lines()
                .map(l -> l.substring(l.indexOf("./") + 1).replaceAll(" -> .*", "")).toList();
        assertThat(files).containsAll(FILES).contains("/etc/kiban/");
        assertThat(files).noneMatch(f -> f.startsWith("/etc/kiban/") && !f.equals("/etc/kiban/"))
                .noneMatch(f -> f.startsWith("/var/") || f.startsWith("/usr/local/"));
        assertThat(ok("dpkg-deb", "-f", DEB.toString(), "Package")).isEqualTo("kiban\n");
        assertThat(ok("dpkg-deb", "-f", DEB.toString(), "Architecture")).isEqualTo("amd64\n");
        assertThat(ok("dpkg-deb", "-f", DEB.toString(), "Version").strip())
                .isEqualTo(VERSION.replace("-SNAPSHOT", "~SNAPSHOT"));
        assertThat(ok("dpkg-deb", "-f", DEB.toString(), "Depends")).isBlank();
        assertThat(ok("dpkg-deb", "-f", DEB.toString(), "Recommends").strip())
                .isEqualTo("docker.io | docker-ce, postfix");
        // no conffiles at all, so nothing under /etc is the package's to replace or remove
        Run conffiles = run(Map.of(), "dpkg-deb", "-I", DEB.toString(), "conffiles");
        assertThat(conffiles.exit() != 0 || !conffiles.out().contains("kiban.yaml")).isTrue();
        String info = ok("dpkg-deb", "-I", DEB.toString());
        assertThat(info).doesNotContain("conffiles").doesNotContain("postrm");
        if (files.contains("/usr/lib/kiban/kiban.aot")) {
            // a Java 25 runtime: the archive ships in the package, no maintainer script at all
            assertThat(files).doesNotContain("/usr/lib/kiban/build-cds");
            assertThat(info).doesNotContain("postinst").doesNotContain("prerm");
        } else {
            // an older runtime: postinst builds the archive on the installed tree, prerm removes it
            assertThat(files).contains("/usr/lib/kiban/build-cds");
            assertThat(info).contains("postinst").contains("prerm");
        }
    }

    @Test
    void theRpmHoldsTheSameAndNoConfigFile() throws Exception {
        HostTools.require("rpm");
        Path rpm = RPM.toAbsolutePath();
        assertThat(ok("rpm", "-qp", "--qf", "%{NAME} %{ARCH}\n", rpm.toString())).isEqualTo("kiban x86_64\n");
        assertThat(ok("rpm", "-qp", "--qf", "%{VERSION}-%{RELEASE}\n", rpm.toString()).strip())
                .isEqualTo(VERSION.endsWith("-SNAPSHOT") ? VERSION.replace("-SNAPSHOT", "-0.snapshot")
                        : VERSION + "-1");
        List<String> files = ok("rpm", "-qpl", rpm.toString()).lines().toList();
        assertThat(files).containsAll(FILES).contains("/etc/kiban")
                .noneMatch(f -> f.startsWith("/etc/kiban/"))
                .doesNotContain("/usr", "/usr/bin", "/usr/lib", "/usr/share", "/etc")   // the system's
                .contains("/usr/lib/kiban/runtime", "/usr/lib/kiban/runtime/bin");     // its own: removed with it
        assertThat(ok("rpm", "-qpc", rpm.toString())).doesNotContain("kiban.yaml");
        assertThat(ok("rpm", "-qp", "--requires", rpm.toString())).doesNotContainIgnoringCase("java");
        assertThat(ok("rpm", "-qp", "--recommends", rpm.toString()).lines()).contains("docker-ce", "postfix");
        String modes = ok("rpm", "-qplv", rpm.toString());
        assertThat(modes).containsPattern("-rwxr-xr-x .* /usr/bin/kiban\n")
                .containsPattern("-rwxr-xr-x .* /usr/lib/kiban/runtime/bin/java\n")
                .containsPattern("-rwxr-xr-x .* /usr/lib/kiban/runtime/lib/jspawnhelper\n");
    }

    @Test
    void theInstalledLauncherPrintsVersionAndCommitAndHelp() throws Exception {
        for (Path root : List.of(debTree(), rpmTree())) {
            String kiban = root.resolve("usr/bin/kiban").toString();
            String expected = "kiban " + VERSION + (COMMIT.isEmpty() || COMMIT.startsWith("$") ? ""
                    : " (commit " + COMMIT + ")");
            Run version = run(Map.of(), kiban, "--version");
            assertThat(version.exit()).as(version.err()).isZero();
            assertThat(version.out().lines().findFirst()).as(root.toString()).contains(expected);
            assertThat(version.err()).isEmpty();
            // the package's own runtime, not a java on PATH
            String release = Files.readString(root.resolve("usr/lib/kiban/runtime/release"));
            String runtime = release.replaceAll("(?s).*JAVA_VERSION=\"([^\"]+)\".*", "$1");
            assertThat(version.out()).contains("Java " + runtime);
            Run help = run(Map.of(), kiban, "status", "--help");
            assertThat(help.exit()).isZero();
            assertThat(help.out()).contains("Usage: kiban status");
        }
    }

    /**
     * The archive was made in the build's staging tree; the packages put the jar elsewhere. The JVM must
     * still take kiban's classes from it, for every kind of command the launcher starts differently.
     */
    @Test
    void theClassArchiveIsUsedWhereThePackageInstallsIt() throws Exception {
        for (Path root : List.of(debTree(), rpmTree())) {
            String kiban = root.resolve("usr/bin/kiban").toString();
            Path lib = root.resolve("usr/lib/kiban");
            if (Files.exists(lib.resolve("build-cds"))) {
                // a pre-Java-25 package: its postinst builds the archive where the jar lies (here)
                ok(lib.resolve("build-cds").toString(), lib.resolve("kiban.jar").toString(),
                        lib.resolve("runtime/bin/java").toString());
            } else {
                assertThat(lib.resolve("kiban.aot")).isRegularFile();
            }
            for (String command : List.of("status", "backup", "monitor")) {
                Run r = run(Map.of("KIBAN_JAVA_OPTS", "-Xlog:class+load=info"), kiban, command, "--help");
                assertThat(r.exit()).isZero();
                long archived = r.out().lines()
                        .filter(l -> l.contains(" dev.kiban.") && l.contains("source: shared objects file"))
                        .count();
                assertThat(archived).as(root + ": kiban " + command + " takes kiban's classes from the archive")
                        .isGreaterThan(10);
            }
        }
    }

    /** A backup loads zstd's native library: the package's runtime must not warn about it on stderr. */
    @Test
    void aBackupWithThePackagesRuntimeWritesNothingToStderr() throws Exception {
        Path source = Files.createDirectories(unpacked.resolve("backup-source/a"));
        Files.writeString(source.resolve("f"), "hello\n");
        Path repo = unpacked.resolve("backup-repo");
        Run r = run(Map.of(), debTree().resolve("usr/bin/kiban").toString(), "-c", "builtin", "backup", "run",
                "--allow-root-filesystem",
                "--source", "compose", "--path", source.getParent().toString(), "-r", repo.toString(),
                "--log", unpacked.resolve("backup.log").toString(), "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).contains("\"chunksNew\"");
    }

    @Test
    void bashCompletesCommandsFromTheInstalledScript() throws Exception {
        Path script = debTree().resolve("usr/share/bash-completion/completions/kiban");
        String complete = "source '" + script + "'; COMP_WORDS=(kiban %s); COMP_CWORD=%d; COMP_LINE='kiban %s';"
                + " COMP_POINT=${#COMP_LINE}; _complete_kiban kiban; printf '%%s\\n' \"${COMPREPLY[@]}\"";
        assertThat(ok("bash", "-c", String.format(complete, "bac", 1, "bac")).lines()).containsExactly("backup");
        assertThat(ok("bash", "-c", String.format(complete, "backup re", 2, "backup re")).lines())
                .contains("repair", "restore");
    }

    @Test
    void manPagesRender() throws Exception {
        HostTools.require("man");
        HostTools.require("groff");
        Path page = debTree().resolve("usr/share/man/man1/kiban-backup-run.1.gz");
        List<String> argv = new ArrayList<>(List.of("man", "-l", "-P", "cat", page.toString()));
        Run r = run(Map.of("MANWIDTH", "100", "LANG", "C.UTF-8"), argv.toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("NAME").contains("kiban-backup-run").contains("SYNOPSIS").contains("--source");
    }
}
