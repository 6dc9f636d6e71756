package dev.kiban.migrate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiban.migrate.EcsTask.Container;
import dev.kiban.migrate.EcsTask.PortMapping;
import dev.kiban.migrate.EcsTask.SecretFrom;
import dev.kiban.migrate.EcsTask.TaskVolume;

/**
 * A task definition as ECS's RegisterTaskDefinition takes it (the JSON of
 * {@code aws ecs register-task-definition --cli-input-json}): the same field names and shapes, so the AWS
 * SDK's own model reads it back (a test does). What lives in AWS and not in the compose file (the
 * execution role, a secret's ARN, the EFS ids) comes from {@link Refs}: placeholders for the file an
 * operator reads, Terraform references inside {@link TerraformJson}.
 */
public final class TaskDefinitionJson {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Where the AWS-side names come from. */
    public interface Refs {
        String executionRole();

        /** The stack's task role: what the containers themselves may do (mount the stack's EFS). */
        String taskRole();

        String secret(String name);

        String fileSystem();

        String accessPoint(String volume);

        String region();
    }

    /** Placeholders an operator replaces (ACCOUNT_ID, the EFS ids) before registering the file by hand. */
    public static Refs placeholders(String region, String cluster, String stackPrefix) {
        return placeholders(region, cluster, stackPrefix, SecretStore.SECRETSMANAGER);
    }

    /** The same, with secrets as Parameter Store parameters' ARNs when {@code store} says so. */
    public static Refs placeholders(String region, String cluster, String stackPrefix, SecretStore store) {
        return new Refs() {
            @Override
            public String executionRole() {
                return "arn:aws:iam::ACCOUNT_ID:role/" + cluster + "-ecs-execution";
            }

            @Override
            public String taskRole() {
                return "arn:aws:iam::ACCOUNT_ID:role/" + cluster + "-" + stackPrefix + "-task";
            }

            @Override
            public String secret(String name) {
                if (store == SecretStore.SSM) {
                    return "arn:aws:ssm:" + region + ":ACCOUNT_ID:parameter" + SecretStore.parameterName(name);
                }
                return "arn:aws:secretsmanager:" + region + ":ACCOUNT_ID:secret:" + name;
            }

            @Override
            public String fileSystem() {
                return "EFS_FILE_SYSTEM_ID_" + stackPrefix;
            }

            @Override
            public String accessPoint(String volume) {
                return "EFS_ACCESS_POINT_ID_" + volume;
            }

            @Override
            public String region() {
                return region;
            }
        };
    }

    private TaskDefinitionJson() {}

    /** The whole request: family, Fargate size, awsvpc, the execution role, the container and its volumes. */
    public static ObjectNode request(EcsTask task, Refs refs) {
        ObjectNode r = JSON.createObjectNode();
        r.put("family", task.family());
        r.put("networkMode", "awsvpc");
        r.putArray("requiresCompatibilities").add("FARGATE");
        r.put("cpu", String.valueOf(task.size().cpu()));
        r.put("memory", String.valueOf(task.size().memory()));
        r.put("executionRoleArn", refs.executionRole());
        r.put("taskRoleArn", refs.taskRole());
        r.putArray("containerDefinitions").add(container(task.container(), refs));
        if (!task.volumes().isEmpty()) {
            ArrayNode vols = r.putArray("volumes");
            for (TaskVolume v : task.volumes()) {
                ObjectNode vol = vols.addObject().put("name", v.name());
                if (v.efs()) {
                    ObjectNode efs = vol.putObject("efsVolumeConfiguration");
                    efs.put("fileSystemId", refs.fileSystem());
                    efs.put("transitEncryption", "ENABLED");
                    efs.putObject("authorizationConfig").put("accessPointId", refs.accessPoint(v.accessPoint()))
                            .put("iam", "ENABLED");
                }
            }
        }
        return r;
    }

    public static String render(EcsTask task, Refs refs) {
        try {
            return JSON.writeValueAsString(request(task, refs)) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One container definition; empty settings are left out, as ECS itself leaves them. */
    public static ObjectNode container(Container c, Refs refs) {
        ObjectNode o = JSON.createObjectNode();
        o.put("name", c.name());
        o.put("image", c.image());
        o.put("essential", true);
        c.cpu().ifPresent(v -> o.put("cpu", v));
        c.memory().ifPresent(v -> o.put("memory", v));
        c.memoryReservation().ifPresent(v -> o.put("memoryReservation", v));
        if (!c.entryPoint().isEmpty()) c.entryPoint().forEach(o.withArray("entryPoint")::add);
        if (!c.command().isEmpty()) c.command().forEach(o.withArray("command")::add);
        c.workingDirectory().ifPresent(v -> o.put("workingDirectory", v));
        c.user().ifPresent(v -> o.put("user", v));
        if (!c.environment().isEmpty()) {
            ArrayNode env = o.putArray("environment");
            c.environment().forEach((k, v) -> env.addObject().put("name", k).put("value", v));
        }
        if (!c.secrets().isEmpty()) {
            ArrayNode s = o.putArray("secrets");
            for (SecretFrom f : c.secrets()) s.addObject().put("name", f.variable()).put("valueFrom",
                    refs.secret(f.secret()));
        }
        if (!c.ports().isEmpty()) {
            ArrayNode ports = o.putArray("portMappings");
            java.util.Set<String> named = new java.util.HashSet<>();
            for (PortMapping p : c.ports()) {
                // a port in both ports: and expose: is one mapping (ECS refuses a name twice)
                if (!named.add(p.name(c.name()))) continue;
                ports.addObject().put("name", p.name(c.name())).put("containerPort", p.port())
                        .put("hostPort", p.port()).put("protocol", p.protocol());
            }
        }
        if (!c.mounts().isEmpty()) {
            ArrayNode m = o.putArray("mountPoints");
            c.mounts().forEach(mp -> m.addObject().put("sourceVolume", mp.volume()).put("containerPath", mp.path())
                    .put("readOnly", mp.readOnly()));
        }
        c.healthCheck().ifPresent(h -> {
            ObjectNode hc = o.putObject("healthCheck");
            h.command().forEach(hc.withArray("command")::add);
            hc.put("interval", h.interval()).put("timeout", h.timeout()).put("retries", h.retries())
                    .put("startPeriod", h.startPeriod());
        });
        ObjectNode log = o.putObject("logConfiguration");
        log.put("logDriver", "awslogs");
        log.putObject("options").put("awslogs-group", c.logs().group()).put("awslogs-region", refs.region())
                .put("awslogs-stream-prefix", c.logs().streamPrefix());
        if (!c.ulimits().isEmpty()) {
            ArrayNode u = o.putArray("ulimits");
            c.ulimits().forEach(l -> u.addObject().put("name", l.name()).put("softLimit", clampInt(l.soft()))
                    .put("hardLimit", clampInt(l.hard())));
        }
        if (c.readOnlyRoot()) o.put("readonlyRootFilesystem", true);
        c.stopTimeout().ifPresent(v -> o.put("stopTimeout", v));
        if (c.init() || !c.capabilitiesAdded().isEmpty() || !c.capabilitiesDropped().isEmpty()) {
            ObjectNode lp = o.putObject("linuxParameters");
            if (c.init()) lp.put("initProcessEnabled", true);
            if (!c.capabilitiesAdded().isEmpty() || !c.capabilitiesDropped().isEmpty()) {
                ObjectNode caps = lp.putObject("capabilities");
                if (!c.capabilitiesAdded().isEmpty()) c.capabilitiesAdded().forEach(caps.withArray("add")::add);
                if (!c.capabilitiesDropped().isEmpty()) c.capabilitiesDropped().forEach(caps.withArray("drop")::add);
            }
        }
        if (!c.systemControls().isEmpty()) {
            ArrayNode sc = o.putArray("systemControls");
            c.systemControls().forEach((k, v) -> sc.addObject().put("namespace", k).put("value", v));
        }
        if (!c.labels().isEmpty()) {
            ObjectNode l = o.putObject("dockerLabels");
            new java.util.TreeMap<>(c.labels()).forEach(l::put);
        }
        if (c.tty()) o.put("pseudoTerminal", true);
        if (c.interactive()) o.put("interactive", true);
        return o;
    }

    private static int clampInt(long v) {
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, v));
    }
}
