package dev.kiban.host;

import dev.kiban.os.HostRoot;
import dev.kiban.os.RunningKernel;
import dev.kiban.spec.PlatformSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads what the host has under a root and plans the change to what the spec renders. */
public final class HostPlanner {
    private HostPlanner() {}

    /** The plan for the host under root; the running kernel's facts count only when root is the system's. */
    public static Plan plan(PlatformSpec resolved, Path root) throws IOException {
        return plan(resolved, root, HostRoot.isSystemRoot(root) ? RunningKernel.system() : RunningKernel.UNKNOWN);
    }

    /** {@code environment}: where an {@code env:} secret is read (the relay's password). */
    public static Plan plan(PlatformSpec resolved, Path root, java.util.Map<String, String> environment)
            throws IOException {
        return plan(resolved, root, HostRoot.isSystemRoot(root) ? RunningKernel.system() : RunningKernel.UNKNOWN,
                environment);
    }

    public static Plan plan(PlatformSpec resolved, Path root, RunningKernel kernel) throws IOException {
        return plan(resolved, root, kernel, System.getenv());
    }

    public static Plan plan(PlatformSpec resolved, Path root, RunningKernel kernel,
            java.util.Map<String, String> environment) throws IOException {
        HostConfiguration desired = HostConfiguration.render(resolved, kernel, environment)
                .withSelinuxNow(ObservedFile.read(root, SelinuxConfig.CONFIG));
        List<String> paths = new ArrayList<>();
        desired.directories().forEach(d -> paths.add(d.path()));
        desired.artifacts().forEach(a -> paths.add(a.path()));
        RetiredUnits.paths().stream().filter(p -> !paths.contains(p)).forEach(paths::add);
        List<String> refusals = new ArrayList<>(SshAccess.refusals(resolved, root));
        String seccomp = resolved.engine().seccompProfile();
        if (!seccomp.equals("builtin") && !java.nio.file.Files.isRegularFile(HostRoot.resolve(root, seccomp))) {
            refusals.add("engine.seccompProfile: " + seccomp + " does not exist; dockerd would not start (D12)");
        }
        // Installing the engine is a step on the real host only; a --root tree is files, not a system.
        boolean system = HostRoot.isSystemRoot(root);
        return Plan.of(desired, ObservedFile.read(root, paths), system
                ? EngineInstallation.plan(resolved.host().family(), root) : List.of(),
                system ? EngineInstallation.notes(resolved.host().family(), root) : List.of(), refusals);
    }
}
