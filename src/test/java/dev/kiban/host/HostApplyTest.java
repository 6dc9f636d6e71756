package dev.kiban.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiban.os.Failures;
import dev.kiban.os.HostPrograms;
import dev.kiban.os.HostRoot;
import dev.kiban.testing.FakePrograms;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HostApply on a temporary root with hand-made plans: no machine, no real programs. */
class HostApplyTest {
    static final ArtifactCheck ACCEPT = (a, r) -> Optional.empty();

    @TempDir
    Path dir;
    Path root;
    Path sentinel;

    @BeforeEach
    void aRootAndAFileOutsideIt() throws IOException {
        root = Files.createDirectories(dir.resolve("root"));
        sentinel = Files.createDirectories(dir.resolve("sentinel"));
        Files.writeString(sentinel.resolve("secret"), "outside\n");
    }

    static Artifact file(String path, String content) {
        return Artifact.config(path, content, "test", Artifact.Reader.SYSCTL);
    }

    /** The plan HostPlanner would make for these files, directories and commands, from the root as it is now. */
    Plan plan(List<Artifact> files, List<HostDirectory> dirs, List<PlannedCommand> commands) throws IOException {
        List<Plan.FileStep> fs = new ArrayList<>();
        for (Artifact a : files) {
            Optional<ObservedFile> before = ObservedFile.read(root, a.path());
            fs.add(new Plan.FileStep(a, before.isEmpty() ? Plan.Change.CREATE : Plan.Change.UPDATE, before, ""));
        }
        List<Plan.DirectoryStep> ds = new ArrayList<>();
        for (HostDirectory d : dirs) {
            Optional<ObservedFile> before = ObservedFile.read(root, d.path());
            ds.add(new Plan.DirectoryStep(d, before.isEmpty() ? Plan.Change.CREATE : Plan.Change.UPDATE, before));
        }
        return new Plan(fs, ds, commands, List.of(), List.of());
    }

    HostApply applier(Writer out, boolean run, List<String> installed, FakePrograms.Answer answer) {
        return new HostApply(root, ACCEPT, new PrintWriter(out, true), run, new FakePrograms(installed, answer),
                Map.of());
    }

    static final List<Artifact> TWO = List.of(file("/etc/docker/daemon.json", "{}\n"),
            file("/etc/sysctl.d/99-docker.conf", "a = 1\n"));

    @Test
    void aProgramThatCannotBeStartedIsAFailedStepAndEverythingGoesBack() throws Exception {
        Files.createDirectories(root.resolve("etc/docker"));
        Files.writeString(root.resolve("etc/docker/daemon.json"), "{ \"debug\": true }\n");
        // the lookup says it is there (it was removed since, or is not executable): starting it fails
        HostApply a = applier(new StringWriter(), true, List.of("modprobe-that-is-not-installed-anywhere"),
                HostPrograms.system()::run);
        HostApply.Outcome o = a.apply(plan(TWO, List.of(), List.of(PlannedCommand.of("load br_netfilter", List.of(),
                "modprobe-that-is-not-installed-anywhere", "br_netfilter"))));
        assertThat(o.ok()).isFalse();
        assertThat(o.restored()).isTrue();
        assertThat(o.failures()).singleElement().asString()
                .startsWith("'modprobe-that-is-not-installed-anywhere br_netfilter' could not be started: cannot start "
                        + "modprobe-that-is-not-installed-anywhere");
        assertThat(o.generation().orElseThrow().status()).isEqualTo(Generation.Status.FAILED);
        assertThat(Files.readString(root.resolve("etc/docker/daemon.json"))).isEqualTo("{ \"debug\": true }\n");
        assertThat(root.resolve("etc/sysctl.d")).doesNotExist();
    }

    @Test
    void aCommandThatMayFailIsAWarningAndApplyGoesOnWhileAnyOtherFailureRollsBack() throws Exception {
        StringWriter out = new StringWriter();
        FakePrograms.Answer auditdDown = (argv, t) -> argv.get(0).equals("augenrules")
                ? new HostPrograms.Result(1, "You must be root to run this program.\nsecond line")
                : new HostPrograms.Result(0, "");
        HostApply a = applier(out, true, List.of("augenrules", "sysctl"), auditdDown);
        PlannedCommand load = PlannedCommand.of("audit rules", List.of(), "augenrules", "--load")
                .mayFail("the rules are in place");
        HostApply.Outcome o = a.apply(plan(TWO, List.of(), List.of(load,
                PlannedCommand.of("kernel parameters", List.of(), "sysctl", "--system"))));
        assertThat(o.ok()).as(o.failures().toString()).isTrue();
        assertThat(out.toString()).contains("warning: 'augenrules --load' failed: You must be root to run this "
                + "program.; the rules are in place").contains("running sysctl --system");
        assertThat(root.resolve("etc/docker/daemon.json")).hasContent("{}");

        // the same failure without mayFail fails apply and puts every file back
        HostApply strict = applier(new StringWriter(), true, List.of("augenrules"), auditdDown);
        Files.delete(root.resolve("etc/docker/daemon.json"));
        HostApply.Outcome failed = strict.apply(plan(TWO, List.of(), List.of(PlannedCommand.of("audit rules",
                List.of(), "augenrules", "--load"))));
        assertThat(failed.ok()).isFalse();
        assertThat(failed.restored()).isTrue();
        assertThat(root.resolve("etc/docker/daemon.json")).doesNotExist();
    }

    /** A file-system failure is told as the file and the problem in words, never as a Java class name. */
    @Test
    void aFileSystemFailureIsAnOperatorSentenceNotAClassName() throws Exception {
        ArtifactCheck denied = (art, r) -> {
            throw new java.io.UncheckedIOException(new java.nio.file.AccessDeniedException("/etc/docker/daemon.json"));
        };
        HostApply a = new HostApply(root, denied, new PrintWriter(new StringWriter(), true), false,
                FakePrograms.none(), Map.of());
        HostApply.Outcome o = a.apply(plan(TWO, List.of(), List.of()));
        assertThat(o.ok()).isFalse();
        assertThat(o.failures()).containsExactly("writing failed: /etc/docker/daemon.json: permission denied");
        assertThat(o.restored()).isTrue();
    }

    @Test
    void failuresNameTheFileAndTheProblem() {
        assertThat(Failures.describe(new java.nio.file.AccessDeniedException("/x"))).isEqualTo("/x: permission denied");
        assertThat(Failures.describe(new java.nio.file.NoSuchFileException("/x")))
                .isEqualTo("/x: no such file or directory");
        assertThat(Failures.describe(new java.nio.file.FileSystemException("/x", null, "Read-only file system")))
                .isEqualTo("/x: read-only file system");
        assertThat(Failures.describe(new IllegalStateException("java.nio.file.AccessDeniedException: /x")))
                .isEqualTo("/x");
        assertThat(Failures.describe(new NullPointerException())).doesNotContain("java.");
    }

    @Test
    void aProgramThatIsNotInstalledIsRefusedBeforeAnythingIsWritten() throws Exception {
        AtomicBoolean ran = new AtomicBoolean();
        HostApply a = applier(new StringWriter(), true, List.of("sysctl"), (argv, t) -> {
            ran.set(true);
            return new HostPrograms.Result(0, "");
        });
        Plan plan = plan(TWO, List.of(), List.of(PlannedCommand.of("x", List.of(), "sysctl", "--system"),
                PlannedCommand.of("y", List.of(), "modprobe", "br_netfilter"), PlannedCommand.of("z", List.of(),
                        "restorecon", "-R", "/data")));
        assertThat(a.preflight(plan))
                .containsExactly("programs the plan runs are not installed on this host: modprobe, restorecon "
                + "(install them, or change the spec so they are not needed)");
        assertThatThrownBy(() -> a.apply(plan)).isInstanceOf(HostRoot.Refusal.class)
                .hasMessageContaining("modprobe, restorecon");
        assertThat(ran).isFalse();
        assertThat(root.resolve("etc")).doesNotExist();
        assertThat(a.generations().list()).isEmpty();
    }

    @Test
    void anUnreachablePackageSourceStopsApplyBeforeAnythingChanges() throws Exception {
        List<List<String>> ran = new ArrayList<>();
        HostApply a = applier(new StringWriter(), true, List.of("dnf"), (argv, t) -> {
            ran.add(argv);
            boolean epel = argv.stream().anyMatch(s -> s.startsWith("--repofrompath=kiban-epel-check,"));
            return new HostPrograms.Result(epel ? 1 : 0, epel
                    ? "Curl error (6): Couldn't resolve host name for https://dl.fedoraproject.org/pub/epel/9/" : "");
        });
        Plan plan = plan(TWO, List.of(), List.of(PlannedCommand.of("x", List.of(), "dnf", "install", "-y",
                "dnf-plugins-core", "epel-release"), PlannedCommand.of("y", List.of(), "dnf", "install", "-y",
                "fail2ban")));
        assertThatThrownBy(() -> a.apply(plan)).isInstanceOf(HostRoot.Refusal.class)
                .hasMessageStartingWith("not applying: EPEL (" + PackageSources.EPEL_URL + ") cannot be reached")
                .hasMessageContaining("Couldn't resolve host")
                .hasMessageEndingWith("nothing was changed");
        assertThat(ran).extracting(argv -> argv.get(argv.size() - 1)).containsOnly("makecache");
        assertThat(root.resolve("etc")).doesNotExist();
        assertThat(a.generations().list()).isEmpty();
    }

    @Test
    void programsThePlanWritesOrInstallsFirstAreNotMissing() throws Exception {
        HostApply a = applier(new StringWriter(), true, List.of("dnf"), (argv, t) -> new HostPrograms.Result(0, ""));
        String script = "/usr/local/libexec/kiban/docker-user-rules";
        Plan plan = plan(List.of(file(script, "#!/bin/sh\n")), List.of(), List.of(
                PlannedCommand.of("x", List.of(), "firewall-cmd", "--reload"),
                PlannedCommand.of("x", List.of(), "dnf", "install", "-y", "firewalld"),
                PlannedCommand.of("x", List.of(), "firewall-cmd", "--reload"),
                PlannedCommand.of("x", List.of(), script)));
        assertThat(a.preflight(plan)).singleElement().asString().contains("not installed on this host: firewall-cmd (");
        Plan installedFirst = new Plan(plan.files(), plan.directories(), plan.commands().subList(1, 4), List.of(),
                List.of());
        assertThat(a.preflight(installedFirst)).isEmpty();
    }

    @Test
    void postfixsProgramsComeWithTheInstallBeforeThem() throws Exception {
        HostApply a = applier(new StringWriter(), true, List.of("apt-get"),
                (argv, t) -> new HostPrograms.Result(0, ""));
        Plan plan = plan(List.of(), List.of(), List.of(
                PlannedCommand.of("x", List.of(), "apt-get", "install", "-y", "postfix", "libsasl2-modules"),
                PlannedCommand.of("x", List.of(), "postconf", "-e", "relayhost="),
                PlannedCommand.of("x", List.of(), "postmap", "hash:/etc/postfix/sasl_passwd"),
                PlannedCommand.of("x", List.of(), "newaliases")));
        assertThat(a.preflight(plan)).isEmpty();
    }

    @Test
    void underATestRootProgramsAreLookedUpBeneathIt() throws Exception {
        assertThat(HostPrograms.system().findUnder(root, "modprobe")).isEmpty();
        Path modprobe = Files.createDirectories(root.resolve("usr/sbin")).resolve("modprobe");
        Files.writeString(modprobe, "#!/bin/sh\n");
        assertThat(HostPrograms.system().findUnder(root, "modprobe")).as("not executable").isEmpty();
        assertThat(modprobe.toFile().setExecutable(true)).isTrue();
        assertThat(HostPrograms.system().findUnder(root, "modprobe")).contains(modprobe);
        assertThat(HostPrograms.system().findUnder(root, "/usr/sbin/modprobe")).contains(modprobe);
        assertThat(HostPrograms.system().findUnder(root, "/usr/sbin/../sbin/modprobe")).isEmpty();
    }

    @Test
    void anInterruptedApplyMustBeRolledBackBeforeTheNextOne() throws Exception {
        HostApply a = applier(new StringWriter(), false, List.of(), (argv, t) -> new HostPrograms.Result(0, ""));
        new GenerationStore(root).begin(List.of("/etc/docker/daemon.json"), List.of(), "killed");
        Plan plan = plan(TWO, List.of(), List.of());
        assertThat(a.preflight(plan)).containsExactly("generation 1 was interrupted (still 'applying'): "
                + "run 'kiban rollback' first, then apply again");
        assertThatThrownBy(() -> a.apply(plan)).hasMessageContaining("generation 1 was interrupted");
        assertThat(a.rollback(Optional.empty())).extracting(Generation::number).containsExactly(1);
        assertThat(a.apply(plan).ok()).isTrue();
    }

    @Test
    void aFailingProgramPutsEveryFileBack() throws Exception {
        HostApply a = applier(new StringWriter(), true, List.of("sysctl"), (argv, t) -> new HostPrograms.Result(1,
                "sysctl: bad key"));
        HostApply.Outcome o = a.apply(plan(TWO, List.of(), List.of(PlannedCommand.of("x", List.of(), "sysctl",
                "--system"))));
        assertThat(o.failures()).containsExactly("'sysctl --system' failed: sysctl: bad key");
        assertThat(root.resolve("etc")).doesNotExist();
    }

    /** A linked directory that appears between two writes: refused, the earlier writes undone,
            the generation failed. */
    @Test
    void aLinkPlantedWhileApplyingStopsItAndUndoesTheEarlierWrites() throws Exception {
        Files.createDirectories(root.resolve("etc/sysctl.d"));
        Writer planting = new StringWriter() {
            @Override
            public void write(String s, int off, int len) {
                super.write(s, off, len);
                boolean written = toString().contains("created /etc/docker/daemon.json");
                if (written && Files.isDirectory(root.resolve("etc/sysctl.d"))) {
                    try {
                        Files.delete(root.resolve("etc/sysctl.d"));
                        Files.createSymbolicLink(root.resolve("etc/sysctl.d"), sentinel);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            }
        };
        HostApply a = applier(planting, false, List.of(), (argv, t) -> new HostPrograms.Result(0, ""));
        HostApply.Outcome o = a.apply(plan(TWO, List.of(), List.of()));
        assertThat(o.failures()).singleElement().asString().contains("refusing /etc/sysctl.d/99-docker.conf under "
                + root,
                "/etc/sysctl.d is a symbolic link");
        assertThat(o.generation().orElseThrow().status()).isEqualTo(Generation.Status.FAILED);
        assertThat(root.resolve("etc/docker")).as("created by this apply, empty again").doesNotExist();
        assertThat(sentinel).isDirectoryContaining(p -> p.getFileName().toString().equals("secret"));
        try (var s = Files.list(sentinel)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("secret");
        }
    }

    @Test
    void aTargetThatIsALinkIsReplacedAndRollbackMakesTheLinkAgain() throws Exception {
        Files.createDirectories(root.resolve("etc/docker"));
        Path daemon = Files.createSymbolicLink(root.resolve("etc/docker/daemon.json"), sentinel.resolve("secret"));
        HostApply a = applier(new StringWriter(), false, List.of(), (argv, t) -> new HostPrograms.Result(0, ""));
        Plan plan = plan(TWO, List.of(), List.of());
        assertThat(a.notes(plan)).singleElement().asString().contains("/etc/docker/daemon.json is a symbolic link (to "
                + sentinel.resolve("secret") + "): apply replaces the link");
        assertThat(a.apply(plan).ok()).isTrue();
        assertThat(Files.isSymbolicLink(daemon)).isFalse();
        assertThat(Files.readString(daemon)).isEqualTo("{}\n");
        assertThat(Files.readString(sentinel.resolve("secret"))).isEqualTo("outside\n");

        assertThat(a.rollback(Optional.empty())).extracting(Generation::number).containsExactly(1);
        assertThat(Files.readSymbolicLink(daemon)).isEqualTo(sentinel.resolve("secret"));
        assertThat(Files.readString(sentinel.resolve("secret"))).isEqualTo("outside\n");
        assertThat(root.resolve("etc/sysctl.d")).doesNotExist();
    }

    @Test
    void aDirectoryThatIsALinkIsRefusedNotReplaced() throws Exception {
        Files.createDirectories(root.resolve("data"));
        Files.createSymbolicLink(root.resolve("data/docker"), sentinel);
        HostApply a = applier(new StringWriter(), false, List.of(), (argv, t) -> new HostPrograms.Result(0, ""));
        Plan plan = plan(List.of(), List.of(new HostDirectory("/data/docker", "rwx------", "root:root", "test")),
                List.of());
        assertThat(a.preflight(plan)).singleElement().asString().contains("/data/docker under " + root
                + ": it is a symbolic link",
                "make it a real directory");
        assertThatThrownBy(() -> a.apply(plan)).hasMessageContaining("it is a symbolic link");
        assertThat(Files.isSymbolicLink(root.resolve("data/docker"))).isTrue();
    }

    @Test
    void aPlanMadeBeforeSomeoneElseChangedTheHostIsRefused() throws Exception {
        HostApply a = applier(new StringWriter(), false, List.of(), (argv, t) -> new HostPrograms.Result(0, ""));
        Plan plan = plan(TWO, List.of(), List.of());
        Files.createDirectories(root.resolve("etc/docker"));
        Files.writeString(root.resolve("etc/docker/daemon.json"), "{\"theirs\": 1}\n");
        assertThatThrownBy(() -> a.apply(plan)).hasMessageContaining("/etc/docker/daemon.json under " + root
                + " changed since the plan was made");
        assertThat(Files.readString(root.resolve("etc/docker/daemon.json"))).isEqualTo("{\"theirs\": 1}\n");
    }

    @Test
    void rollbackRefusesAGenerationWithAPathOutsideTheRoot() throws Exception {
        Path g = Files.createDirectories(root.resolve("var/lib/kiban/generations/1"));
        Files.writeString(g.resolve("manifest.json"), GenerationStoreTest.manifest(1, "/../sentinel/secret"));
        HostApply a = applier(new StringWriter(), false, List.of(), (argv, t) -> new HostPrograms.Result(0, ""));
        assertThatThrownBy(() -> a.rollback(Optional.empty())).isInstanceOf(HostRoot.Refusal.class)
                .hasMessageContaining("'..'");
        assertThat(sentinel.resolve("secret")).hasContent("outside");
    }
}
