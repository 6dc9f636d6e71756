package dev.kiban.migrate;

import dev.kiban.migrate.EcsTask.Container;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which services ECS Express Mode can run ({@code --express}): an Express service is one container behind
 * an HTTPS load balancer that ECS makes itself, with an image, a command, a port, environment, secrets and
 * logs and nothing else, no volumes, cpu a power of two up to 4 vCPU and memory 0.5–8 GiB. A service that
 * has more keeps the full task definition and service, and the report says why.
 */
public final class ExpressMode {
    public static final String INFRASTRUCTURE_POLICY =
            "arn:aws:iam::aws:policy/service-role/AmazonECSInfrastructureRoleforExpressGatewayServices";
    private static final Set<Integer> CPU = Set.of(256, 512, 1024, 2048, 4096);

    private ExpressMode() {}

    /** Empty when the service qualifies; otherwise every reason it does not. */
    public static Optional<String> whyNot(EcsService s) {
        List<String> why = new ArrayList<>();
        Container c = s.task().container();
        if (!s.http()) why.add("it does not publish exactly one HTTP port");
        if (!s.task().volumes().isEmpty()) why.add("it mounts volumes");
        if (!CPU.contains(s.task().size().cpu()) || s.task().size().memory() > 8192) {
            why.add("its size " + s.task().size() + " is beyond Express's 4 vCPU / 8 GiB");
        }
        List<String> settings = new ArrayList<>();
        if (!c.entryPoint().isEmpty()) settings.add("entrypoint");
        if (c.user().isPresent()) settings.add("user");
        if (c.workingDirectory().isPresent()) settings.add("working_dir");
        if (c.readOnlyRoot()) settings.add("read_only");
        if (!c.ulimits().isEmpty()) settings.add("ulimits");
        if (c.stopTimeout().isPresent()) settings.add("stop_grace_period");
        if (c.init() || !c.capabilitiesAdded().isEmpty() || !c.capabilitiesDropped().isEmpty()) {
            settings.add("init/capabilities");
        }
        if (!c.systemControls().isEmpty()) settings.add("sysctls");
        if (!settings.isEmpty()) why.add("Express has no " + String.join(", ", settings));
        return why.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", why));
    }

    public static boolean qualifies(EcsService s) {
        return whyNot(s).isEmpty();
    }
}
