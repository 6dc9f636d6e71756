package dev.kiban.migrate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Terraform for the migration, in Terraform's JSON syntax ({@code *.tf.json}): Jackson writes it, so
 * no HCL writer is needed, and Terraform reads it as it reads HCL. ({@code terraform fmt} formats only
 * HCL; {@code terraform validate} checks these files.) One directory, one module: {@code main.tf.json}
 * holds the provider, the variables (region, VPC, subnets, who may reach published ports), the cluster
 * and the execution role; each stack adds {@code <stack>.tf.json}: its log group, Secrets Manager secrets
 * (names only, never a value), a security group per network, an EFS file system with an access point per
 * named volume, a Cloud Map namespace for Service Connect, a task definition and an ECS service per compose
 * service (in Service Connect, so services find each other by their compose names), an
 * ALB for the services that publish one HTTP port and an NLB for the other published ports.
 *
 * <p>Every string in a {@code .tf.json} is a Terraform template, so text from a compose file has its
 * {@code ${} and {@code %{} escaped ({@code $${}, {@code %%{}) and only kiban's own references stay live.
 */
public final class TerraformJson {
    public static final String EXECUTION_POLICY =
            "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy";

    private TerraformJson() {}

    /** main.tf.json: what every stack shares. */
    public static String main(String cluster, String region, boolean express) {
        return main(cluster, region, express, SecretStore.SECRETSMANAGER);
    }

    /**
     * Parameter Store's write-only placeholder needs Terraform 1.11 (write-only arguments) and an AWS provider
     * that has value_wo (6.x has it; the provider schema test checks the name).
     */
    public static String main(String cluster, String region, boolean express, SecretStore store) {
        ObjectNode root = TaskDefinitionJson.JSON.createObjectNode();
        ObjectNode tf = root.putObject("terraform");
        if (store == SecretStore.SSM) tf.put("required_version", ">= 1.11");
        tf.putObject("required_providers").putObject("aws")
                .put("source", "hashicorp/aws").put("version", store == SecretStore.SSM ? ">= 6.0" : ">= 5.0");
        root.putObject("provider").putObject("aws").put("region", "${var.region}");
        ObjectNode var = root.putObject("variable");
        var.putObject("region").put("type", "string").put("default", escape(region))
                .put("description", "The AWS region the stacks run in.");
        var.putObject("vpc_id").put("type", "string").put("description", "The VPC the tasks, EFS and ALBs are in.");
        var.putObject("subnet_ids").put("type", "list(string)")
                .put("description", "Subnets for the tasks, EFS mount targets and ALBs: one per availability zone,"
                        + " two or more zones (EFS takes one mount target per zone).");
        var.putObject("assign_public_ip").put("type", "bool").put("default", false)
                .put("description", "Give tasks a public address (subnets without a NAT gateway need it to pull).");
        var.putObject("certificate_arn").put("type", "string").put("default", "")
                .put("description", "An ACM certificate's ARN for the ALBs: HTTPS (" + TLS_POLICY + "), HTTP's"
                        + " port 80 redirected to 443. Empty: the ALBs speak plain HTTP.");
        var.putObject("allowed_cidrs").put("type", "list(string)").putArray("default").add("0.0.0.0/0");
        var.with("allowed_cidrs").put("description", "Who may reach published ports and the ALBs.");
        ObjectNode res = root.putObject("resource");
        res.putObject("aws_ecs_cluster").putObject("cluster").put("name", escape(cluster))
                .putArray("setting").addObject().put("name", "containerInsights").put("value", "enabled");
        ObjectNode role = res.putObject("aws_iam_role").putObject("execution");
        role.put("name", escape(cluster) + "-ecs-execution");
        role.put("assume_role_policy", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Principal\":{\"Service\":\"ecs-tasks.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}");
        res.putObject("aws_iam_role_policy_attachment").putObject("execution")
                .put("role", "${aws_iam_role.execution.name}").put("policy_arn", EXECUTION_POLICY);
        if (express) {
            ObjectNode infra = res.with("aws_iam_role").putObject("express_infrastructure");
            infra.put("name", escape(cluster) + "-ecs-express-infrastructure");
            infra.put("assume_role_policy", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                    + "\"Principal\":{\"Service\":\"ecs.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}");
            res.with("aws_iam_role_policy_attachment").putObject("express_infrastructure")
                    .put("role", "${aws_iam_role.express_infrastructure.name}")
                    .put("policy_arn", ExpressMode.INFRASTRUCTURE_POLICY);
        }
        return write(root);
    }

    /** {@code <stack>.tf.json}: everything of one stack. */
    public static String stack(StackMigration m) {
        return stack(m, false, SecretStore.SECRETSMANAGER);
    }

    public static String stack(StackMigration m, boolean express) {
        return stack(m, express, SecretStore.SECRETSMANAGER);
    }

    /**
     * With {@code express}, a service {@link ExpressMode} accepts becomes one aws_ecs_express_gateway_service
     * (ECS makes its load balancer, target group and security groups) instead of a task definition, a service,
     * Service Connect and kiban's ALB.
     */
    public static String stack(StackMigration m, boolean express, SecretStore store) {
        String s = id(m.stack());
        ObjectNode root = TaskDefinitionJson.JSON.createObjectNode();
        ObjectNode res = root.putObject("resource");
        res.putObject("aws_cloudwatch_log_group").putObject(s).put("name", escape(StackMigration.logGroup(m.stack())))
                .put("retention_in_days", 30);

        Map<String, String> secretIds = secrets(res, m, s, store);

        taskRole(res, m, s);

        ObjectNode groups = res.putObject("aws_security_group");
        for (String n : m.networks()) {
            ObjectNode g = groups.putObject(s + "_" + id(n));
            g.put("name", escape(m.stack() + "-" + n));
            g.put("description", escape("compose network " + n + " of stack " + m.stack()));
            g.put("vpc_id", "${var.vpc_id}");
            g.putArray("ingress").add(rule("members of the network", 0, 0, "-1", true, null));
            g.putArray("egress").add(rule("anywhere", 0, 0, "-1", false, "0.0.0.0/0"));
        }
        List<EcsService> full = m.services().stream().filter(x -> !express || !ExpressMode.qualifies(x)).toList();
        List<EcsService> fast = m.services().stream().filter(x -> express && ExpressMode.qualifies(x)).toList();
        boolean anyHttp = full.stream().anyMatch(EcsService::http);
        for (EcsService svc : full) {
            List<EcsTask.PortMapping> direct = svc.http() ? List.of() : svc.published();
            if (direct.isEmpty() && !svc.http()) continue;
            ObjectNode g = groups.putObject(s + "_" + id(svc.name()) + "_published");
            g.put("name", escape(m.stack() + "-" + svc.name() + "-published"));
            g.put("description", escape("published ports of " + m.stack() + "/" + svc.name()));
            g.put("vpc_id", "${var.vpc_id}");
            ArrayNode in = g.putArray("ingress");
            if (svc.http()) {
                EcsTask.PortMapping p = svc.published().get(0);
                ObjectNode r = rule("from the ALB", p.port(), p.port(), "tcp", false, null);
                r.putArray("security_groups").add("${aws_security_group." + s + "_alb.id}");
                in.add(r);
            }
            for (EcsTask.PortMapping p : direct) {
                ObjectNode r = rule("published " + p.port() + "/" + p.protocol(), p.port(), p.port(), p.protocol(),
                        false, svc.nlb() ? null : "${var.allowed_cidrs}");
                if (svc.nlb()) r.putArray("security_groups").add("${aws_security_group." + s + "_nlb.id}");
                in.add(r);
            }
            g.putArray("egress");
        }
        if (full.stream().anyMatch(EcsService::nlb)) {
            ObjectNode g = groups.putObject(s + "_nlb");
            g.put("name", escape(m.stack() + "-nlb"));
            g.put("description", escape("the NLB of stack " + m.stack()));
            g.put("vpc_id", "${var.vpc_id}");
            ArrayNode in = g.putArray("ingress");
            full.stream().filter(EcsService::nlb).flatMap(x -> x.published().stream()).distinct().forEach(p ->
                    in.add(rule("published " + p.port() + "/" + p.protocol(), p.port(), p.port(), p.protocol(), false,
                            "${var.allowed_cidrs}")));
            g.putArray("egress").add(rule("to the tasks", 0, 0, "-1", false, "0.0.0.0/0"));
        }
        if (anyHttp) {
            ObjectNode g = groups.putObject(s + "_alb");
            g.put("name", escape(m.stack() + "-alb"));
            g.put("description", escape("the ALB of stack " + m.stack()));
            g.put("vpc_id", "${var.vpc_id}");
            ArrayNode in = g.putArray("ingress");
            full.stream().filter(EcsService::http).map(x -> x.published().get(0).port()).distinct()
                    .forEach(p -> in.add(rule("HTTP(S) " + p, p, p, "tcp", false, "${var.allowed_cidrs}")));
            if (full.stream().anyMatch(x -> x.http() && x.published().get(0).port() == 80)) {
                in.add(rule("HTTPS 443 (with certificate_arn)", 443, 443, "tcp", false, "${var.allowed_cidrs}"));
            }
            g.putArray("egress").add(rule("to the tasks", 0, 0, "-1", false, "0.0.0.0/0"));
        }

        if (!m.volumes().isEmpty()) efs(res, m, s);
        ObjectNode ns = res.putObject("aws_service_discovery_http_namespace").putObject(s);
        ns.put("name", escape(m.stack()));
        ns.put("description", escape("Service Connect names of stack " + m.stack() + ": its compose service names"));
        ObjectNode taskDefs = res.putObject("aws_ecs_task_definition");
        ObjectNode services = res.putObject("aws_ecs_service");
        for (EcsService svc : fast) expressService(res, s + "_" + id(svc.name()), svc, m, secretIds, s);
        for (EcsService svc : full) {
            String sid = s + "_" + id(svc.name());
            taskDefinition(taskDefs, sid, svc, m, secretIds, s);
            service(services, sid, svc, m, s);
            if (svc.http()) alb(res, sid, svc, m, s);
            if (svc.nlb()) nlb(res, sid, svc, m, s);
        }
        for (String kind : List.of("aws_ecs_task_definition", "aws_ecs_service")) {
            if (res.get(kind).isEmpty()) res.remove(kind);
        }
        return write(root);
    }

    /**
     * The stack's secrets, by name only, and the execution role's leave to read them; returns each secret's
     * ARN reference by its name. Secrets Manager: a secret with no version (no value at all). Parameter
     * Store: a SecureString parameter, which cannot exist without a value, so it gets {@link
     * SecretStore#PLACEHOLDER} as a write-only argument, written once and never kept in Terraform's state;
     * the operator puts the real value with {@code aws ssm put-parameter --overwrite}, and Terraform, which
     * neither reads it back nor writes it again while value_wo_version stays 1, leaves it alone.
     */
    private static Map<String, String> secrets(ObjectNode res, StackMigration m, String s, SecretStore store) {
        Map<String, String> refs = new LinkedHashMap<>();
        if (m.secrets().isEmpty()) return refs;
        boolean ssm = store == SecretStore.SSM;
        ObjectNode decl = res.putObject(ssm ? "aws_ssm_parameter" : "aws_secretsmanager_secret");
        for (String name : m.secrets()) {
            String id = s + "_" + id(name.substring(m.stack().length() + 1));
            ObjectNode o = decl.putObject(id);
            if (ssm) {
                o.put("name", escape(SecretStore.parameterName(name)));
                o.put("type", "SecureString");
                o.put("value_wo", SecretStore.PLACEHOLDER);
                o.put("value_wo_version", 1);
                o.put("description", "kiban migrate: put its value with aws ssm put-parameter --overwrite; kiban"
                        + " never copies one");
                refs.put(name, "${aws_ssm_parameter." + id + ".arn}");
            } else {
                o.put("name", escape(name));
                o.put("description", "kiban migrate: set its value by hand; kiban never copies one");
                refs.put(name, "${aws_secretsmanager_secret." + id + ".arn}");
            }
        }
        ObjectNode policy = res.putObject("aws_iam_role_policy").putObject(s + "_secrets");
        policy.put("name", escape(m.stack()) + "-secrets");
        policy.put("role", "${aws_iam_role.execution.id}");
        String arns = String.join(",", refs.values().stream().map(r -> "\"" + r + "\"").toList());
        policy.put("policy", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\""
                + (ssm ? "ssm:GetParameters" : "secretsmanager:GetSecretValue") + "\",\"Resource\":[" + arns + "]}]}");
        return refs;
    }

    private static void expressService(ObjectNode res, String sid, EcsService svc, StackMigration m,
            Map<String, String> secretIds, String s) {
        EcsTask.Container c = svc.task().container();
        ObjectNode o = res.with("aws_ecs_express_gateway_service").putObject(sid);
        o.put("service_name", escape(m.stack() + "-" + svc.name()));
        o.put("cluster", "${aws_ecs_cluster.cluster.name}");
        o.put("execution_role_arn", "${aws_iam_role.execution.arn}");
        o.put("infrastructure_role_arn", "${aws_iam_role.express_infrastructure.arn}");
        o.put("cpu", String.valueOf(svc.task().size().cpu()));
        o.put("memory", String.valueOf(svc.task().size().memory()));
        o.put("health_check_path", "/");
        ObjectNode pc = o.putArray("primary_container").addObject();
        pc.put("image", escape(c.image()));
        pc.put("container_port", svc.published().get(0).port());
        if (!c.command().isEmpty()) c.command().forEach(w -> pc.withArray("command").add(escape(w)));
        pc.putArray("aws_logs_configuration").addObject().put("log_group", escape(c.logs().group()))
                .put("log_stream_prefix", escape(c.logs().streamPrefix()));
        if (!c.environment().isEmpty()) {
            ArrayNode env = pc.putArray("environment");
            c.environment().forEach((k, v) -> env.addObject().put("name", escape(k)).put("value", escape(v)));
        }
        if (!c.secrets().isEmpty()) {
            ArrayNode sec = pc.putArray("secret");
            c.secrets().forEach(f -> sec.addObject().put("name", escape(f.variable()))
                    .put("value_from", secretIds.get(f.secret())));
        }
        ObjectNode net = o.putArray("network_configuration").addObject();
        net.put("subnets", "${var.subnet_ids}");
        ArrayNode sgs = net.putArray("security_groups");
        svc.networks().forEach(n -> sgs.add("${aws_security_group." + s + "_" + id(n) + ".id}"));
        o.putArray("scaling_target").addObject().put("min_task_count", svc.desiredCount())
                .put("max_task_count", svc.desiredCount());
        ObjectNode tags = o.putObject("tags");
        new java.util.TreeMap<>(svc.tags()).forEach((k, v) -> tags.put(escape(k), escape(v)));
        tags.put("kiban.stack", escape(m.stack()));
    }

    /**
     * The stack's task role, which its containers run as: with named volumes it may mount the stack's file
     * system through its access points only (ClientMount, ClientWrite when a mount is writable, ClientRootAccess
     * only when {@link #rootWriters} says a writer runs as root, which EFS would otherwise squash to nobody).
     */
    private static void taskRole(ObjectNode res, StackMigration m, String s) {
        ObjectNode role = res.with("aws_iam_role").putObject(s + "_task");
        role.put("name", "${aws_ecs_cluster.cluster.name}-" + escape(m.stack()) + "-task");
        role.put("assume_role_policy", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Principal\":{\"Service\":\"ecs-tasks.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}");
        if (m.volumes().isEmpty()) return;
        List<String> actions = new ArrayList<>(efsActions(m));
        StringBuilder aps = new StringBuilder();
        for (String v : m.volumes()) {
            if (aps.length() > 0) aps.append(',');
            aps.append("\"${aws_efs_access_point.").append(s).append('_').append(id(v)).append(".arn}\"");
        }
        ObjectNode policy = res.with("aws_iam_role_policy").putObject(s + "_efs");
        policy.put("name", escape(m.stack()) + "-efs");
        policy.put("role", "${aws_iam_role." + s + "_task.id}");
        policy.put("policy", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":["
                + String.join(",", actions.stream().map(a -> "\"" + a + "\"").toList()) + "],\"Resource\":"
                + "\"${aws_efs_file_system." + s + ".arn}\",\"Condition\":{\"StringEquals\":"
                + "{\"elasticfilesystem:AccessPointArn\":[" + aps + "]}}}]}");
    }

    /** What the stack's task role may do on its file system. */
    static List<String> efsActions(StackMigration m) {
        List<String> actions = new ArrayList<>(List.of("elasticfilesystem:ClientMount"));
        boolean writes = m.services().stream().flatMap(x -> x.task().container().mounts().stream())
                .anyMatch(mp -> !mp.readOnly() && m.volumes().contains(mp.volume()));
        if (writes) actions.add("elasticfilesystem:ClientWrite");
        if (!rootWriters(m).isEmpty()) actions.add("elasticfilesystem:ClientRootAccess");
        return actions;
    }

    /**
     * The services that write a named volume as root (no {@code user:}, or user 0 or a name kiban cannot tell
     * is not root): EFS squashes root to nobody without ClientRootAccess, and the directory would not be theirs.
     */
    public static List<String> rootWriters(StackMigration m) {
        return m.services().stream().filter(x -> x.task().container().mounts().stream()
                .anyMatch(mp -> !mp.readOnly() && m.volumes().contains(mp.volume())))
                .filter(x -> x.task().container().user().map(u -> !u.matches("0*[1-9]\\d{0,8}(:\\d{1,9})?"))
                        .orElse(true))
                .map(EcsService::name).toList();
    }

    private static void efs(ObjectNode res, StackMigration m, String s) {
        ObjectNode fs = res.putObject("aws_efs_file_system").putObject(s);
        fs.put("creation_token", escape("kiban-" + m.stack()));
        fs.put("encrypted", true);
        fs.putObject("tags").put("Name", escape("kiban-" + m.stack()));
        ObjectNode g = res.with("aws_security_group").putObject(s + "_efs");
        g.put("name", escape(m.stack() + "-efs"));
        g.put("description", escape("NFS from the tasks of stack " + m.stack()));
        g.put("vpc_id", "${var.vpc_id}");
        ObjectNode nfs = rule("NFS from the stack's tasks", 2049, 2049, "tcp", false, null);
        ArrayNode from = nfs.putArray("security_groups");
        m.networks().forEach(n -> from.add("${aws_security_group." + s + "_" + id(n) + ".id}"));
        g.putArray("ingress").add(nfs);
        g.putArray("egress");
        res.putObject("aws_efs_file_system_policy").putObject(s)
                .put("file_system_id", "${aws_efs_file_system." + s + ".id}")
                .put("policy", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"SecureTransportOnly\","
                        + "\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\"*\"},\"Action\":\"*\",\"Resource\":"
                        + "\"${aws_efs_file_system." + s + ".arn}\",\"Condition\":{\"Bool\":"
                        + "{\"aws:SecureTransport\":\"false\"}}}]}");
        ObjectNode mt = res.putObject("aws_efs_mount_target").putObject(s);
        mt.put("for_each", "${toset(var.subnet_ids)}");
        mt.put("file_system_id", "${aws_efs_file_system." + s + ".id}");
        mt.put("subnet_id", "${each.value}");
        mt.putArray("security_groups").add("${aws_security_group." + s + "_efs.id}");
        ObjectNode aps = res.putObject("aws_efs_access_point");
        for (String v : m.volumes()) {
            ObjectNode ap = aps.putObject(s + "_" + id(v));
            ap.put("file_system_id", "${aws_efs_file_system." + s + ".id}");
            ObjectNode dir = ap.putObject("root_directory");
            dir.put("path", escape("/" + v));
            long[] owner = owner(m, v);
            dir.putObject("creation_info").put("owner_uid", owner[0]).put("owner_gid", owner[1])
                    .put("permissions", "0755");
            ap.putObject("tags").put("Name", escape(m.stack() + "-" + v));
        }
    }

    /**
     * Who owns a volume's directory when EFS creates it: the numeric {@code user:} (uid[:gid]) of the services
     * that mount it when they agree, so a service that does not run as root can write its data; else root.
     */
    static long[] owner(StackMigration m, String volume) {
        java.util.Set<String> users = new java.util.HashSet<>();
        for (EcsService svc : m.services()) {
            if (svc.task().container().mounts().stream().anyMatch(mp -> mp.volume().equals(volume))) {
                users.add(svc.task().container().user().orElse("0"));
            }
        }
        if (users.size() != 1) return new long[] {0, 0};
        String u = users.iterator().next();
        if (!u.matches("\\d{1,9}(:\\d{1,9})?")) return new long[] {0, 0};
        String[] p = u.split(":");
        long uid = Long.parseLong(p[0]);
        return new long[] {uid, p.length > 1 ? Long.parseLong(p[1]) : uid};
    }

    private static void taskDefinition(ObjectNode defs, String sid, EcsService svc, StackMigration m,
            Map<String, String> secretIds, String s) {
        EcsTask task = svc.task();
        ObjectNode t = defs.putObject(sid);
        t.put("family", escape(task.family()));
        t.putArray("requires_compatibilities").add("FARGATE");
        t.put("network_mode", "awsvpc");
        t.put("cpu", String.valueOf(task.size().cpu()));
        t.put("memory", String.valueOf(task.size().memory()));
        t.put("execution_role_arn", "${aws_iam_role.execution.arn}");
        t.put("task_role_arn", "${aws_iam_role." + s + "_task.arn}");
        // The container definition is a JSON string inside the JSON: written with stand-ins for kiban's
        // references, escaped as a template, then the stand-ins become live references.
        List<String> live = new ArrayList<>();
        TaskDefinitionJson.Refs refs = new TaskDefinitionJson.Refs() {
            String token(String ref) {
                live.add(ref);
                return "\u0001kiban" + (live.size() - 1) + "\u0001";
            }

            @Override
            public String executionRole() {
                return token("${aws_iam_role.execution.arn}");
            }

            @Override
            public String taskRole() {
                return token("${aws_iam_role." + s + "_task.arn}");
            }

            @Override
            public String secret(String name) {
                return token(secretIds.get(name));
            }

            @Override
            public String fileSystem() {
                return token("${aws_efs_file_system." + s + ".id}");
            }

            @Override
            public String accessPoint(String volume) {
                return token("${aws_efs_access_point." + s + "_" + id(volume) + ".id}");
            }

            @Override
            public String region() {
                return token("${var.region}");
            }
        };
        ArrayNode containers = TaskDefinitionJson.JSON.createArrayNode();
        containers.add(TaskDefinitionJson.container(task.container(), refs));
        String text;
        try {
            text = escape(TaskDefinitionJson.JSON.writer().writeValueAsString(containers));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        for (int i = 0; i < live.size(); i++) text = text.replace("\\u0001kiban" + i + "\\u0001", live.get(i));
        t.put("container_definitions", text);
        ArrayNode vols = t.putArray("volume");
        for (EcsTask.TaskVolume v : task.volumes()) {
            ObjectNode vol = vols.addObject().put("name", escape(v.name()));
            if (v.efs()) {
                ObjectNode efs = vol.putObject("efs_volume_configuration");
                efs.put("file_system_id", "${aws_efs_file_system." + s + ".id}");
                efs.put("transit_encryption", "ENABLED");
                efs.putObject("authorization_config").put("access_point_id", "${aws_efs_access_point." + s + "_"
                        + id(v.accessPoint()) + ".id}").put("iam", "ENABLED");
            }
        }
        if (vols.isEmpty()) t.remove("volume");
    }

    private static void service(ObjectNode services, String sid, EcsService svc, StackMigration m, String s) {
        ObjectNode o = services.putObject(sid);
        o.put("name", escape(svc.name()));
        o.put("cluster", "${aws_ecs_cluster.cluster.id}");
        o.put("task_definition", "${aws_ecs_task_definition." + sid + ".arn}");
        o.put("desired_count", svc.desiredCount());
        o.put("launch_type", "FARGATE");
        o.put("deployment_minimum_healthy_percent", svc.minimumHealthyPercent());
        o.put("deployment_maximum_percent", svc.maximumPercent());
        o.putObject("deployment_circuit_breaker").put("enable", true).put("rollback", svc.rollback());
        ObjectNode net = o.putObject("network_configuration");
        net.put("subnets", "${var.subnet_ids}");
        ArrayNode sgs = net.putArray("security_groups");
        svc.networks().forEach(n -> sgs.add("${aws_security_group." + s + "_" + id(n) + ".id}"));
        if (!svc.published().isEmpty()) sgs.add("${aws_security_group." + sid + "_published.id}");
        net.put("assign_public_ip", "${var.assign_public_ip}");
        serviceConnect(o, svc, s);
        if (svc.http()) {
            ObjectNode lb = o.putArray("load_balancer").addObject();
            lb.put("target_group_arn", "${aws_lb_target_group." + sid + ".arn}");
            lb.put("container_name", escape(svc.name()));
            lb.put("container_port", svc.published().get(0).port());
            ArrayNode after = o.putArray("depends_on").add("aws_lb_listener." + sid)
                    .add("aws_lb_listener." + sid + "_https");
            if (svc.published().get(0).port() == 80) after.add("aws_lb_listener." + sid + "_redirect");
        }
        if (svc.nlb()) {
            ArrayNode lbs = o.putArray("load_balancer");
            ArrayNode after = o.putArray("depends_on");
            for (EcsTask.PortMapping p : svc.published()) {
                String tg = sid + "_" + p.port() + "_" + p.protocol();
                lbs.addObject().put("target_group_arn", "${aws_lb_target_group." + tg + ".arn}")
                        .put("container_name", escape(svc.name())).put("container_port", p.port());
                after.add("aws_lb_listener." + tg);
            }
        }
        ObjectNode tags = o.putObject("tags");
        new java.util.TreeMap<>(svc.tags()).forEach((k, v) -> tags.put(escape(k), escape(v)));
        tags.put("kiban.stack", escape(m.stack()));
    }

    /**
     * ECS Service Connect in the stack's namespace: every service is a client (it reaches the others by their
     * compose names); one that has TCP ports also serves each under its compose name and each of its aliases.
     * The namespace is named on each service, not as the cluster's default: one cluster holds every stack, each
     * with its own namespace, so two stacks' {@code db} do not meet.
     */
    private static void serviceConnect(ObjectNode o, EcsService svc, String s) {
        ObjectNode sc = o.putObject("service_connect_configuration");
        sc.put("enabled", true);
        sc.put("namespace", "${aws_service_discovery_http_namespace." + s + ".arn}");
        EcsTask.LogGroup logs = svc.task().container().logs();
        sc.putObject("log_configuration").put("log_driver", "awslogs").putObject("options")
                .put("awslogs-group", escape(logs.group())).put("awslogs-region", "${var.region}")
                .put("awslogs-stream-prefix", escape(logs.streamPrefix() + "-service-connect"));
        List<String> names = new ArrayList<>();
        names.add(svc.name());
        names.addAll(svc.aliases());
        ArrayNode served = TaskDefinitionJson.JSON.createArrayNode();
        for (EcsTask.PortMapping p : svc.connectPorts()) {
            for (String n : names) {
                ObjectNode one = served.addObject();
                one.put("port_name", p.name(svc.name()));
                one.put("discovery_name", p.name(n));
                // DNS is case-blind and Service Connect takes lowercase names only
                one.putObject("client_alias").put("dns_name", escape(n.toLowerCase(java.util.Locale.ROOT)))
                        .put("port", p.port());
            }
        }
        if (!served.isEmpty()) sc.set("service", served);
    }

    private static void alb(ObjectNode res, String sid, EcsService svc, StackMigration m, String s) {
        String lbId = s;
        if (!res.has("aws_lb") || !res.get("aws_lb").has(lbId)) {
            ObjectNode lb = res.with("aws_lb").putObject(lbId);
            lb.put("name", escape(albName(m.stack())));
            lb.put("load_balancer_type", "application");
            lb.put("internal", false);
            lb.put("subnets", "${var.subnet_ids}");
            lb.putArray("security_groups").add("${aws_security_group." + s + "_alb.id}");
        }
        int port = svc.published().get(0).port();
        ObjectNode tg = res.with("aws_lb_target_group").putObject(sid);
        tg.put("name", escape(albName(m.stack() + "-" + svc.name())));
        tg.put("port", port);
        tg.put("protocol", "HTTP");
        tg.put("target_type", "ip");
        tg.put("vpc_id", "${var.vpc_id}");
        tg.putObject("health_check").put("path", "/").put("matcher", "200-399");
        String forward = "${aws_lb_target_group." + sid + ".arn}";
        ObjectNode l = res.with("aws_lb_listener").putObject(sid);
        l.put("count", PLAIN);
        l.put("load_balancer_arn", "${aws_lb." + lbId + ".arn}");
        l.put("port", port);
        l.put("protocol", "HTTP");
        l.putObject("default_action").put("type", "forward").put("target_group_arn", forward);
        ObjectNode tls = res.with("aws_lb_listener").putObject(sid + "_https");
        tls.put("count", TLS);
        tls.put("load_balancer_arn", "${aws_lb." + lbId + ".arn}");
        tls.put("port", httpsPort(port));
        tls.put("protocol", "HTTPS");
        tls.put("ssl_policy", TLS_POLICY);
        tls.put("certificate_arn", "${var.certificate_arn}");
        tls.putObject("default_action").put("type", "forward").put("target_group_arn", forward);
        if (port == 80) {
            ObjectNode r = res.with("aws_lb_listener").putObject(sid + "_redirect");
            r.put("count", TLS);
            r.put("load_balancer_arn", "${aws_lb." + lbId + ".arn}");
            r.put("port", 80);
            r.put("protocol", "HTTP");
            r.putObject("default_action").put("type", "redirect").putObject("redirect").put("port", "443")
                    .put("protocol", "HTTPS").put("status_code", "HTTP_301");
        }
    }

    /**
     * With a certificate, HTTP's port 80 becomes HTTPS on 443 (and 80 redirects there); any other port the
     * service publishes over HTTP is served as HTTPS on that same port, so its address does not change.
     */
    static int httpsPort(int port) {
        return port == 80 ? 443 : port;
    }

    /** The listeners of the ALBs, chosen by whether {@code certificate_arn} is set. */
    static final String PLAIN = "${var.certificate_arn == \"\" ? 1 : 0}";
    static final String TLS = "${var.certificate_arn == \"\" ? 0 : 1}";
    /** ELB's policy of TLS 1.3 and 1.2 with forward secrecy only, the one AWS recommends. */
    public static final String TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

    /** The stack's NLB, and a target group and a listener for each port the service publishes. */
    private static void nlb(ObjectNode res, String sid, EcsService svc, StackMigration m, String s) {
        String lbId = s + "_nlb";
        if (!res.has("aws_lb") || !res.get("aws_lb").has(lbId)) {
            ObjectNode lb = res.with("aws_lb").putObject(lbId);
            lb.put("name", escape(albName(m.stack() + "-nlb")));
            lb.put("load_balancer_type", "network");
            lb.put("internal", false);
            lb.put("subnets", "${var.subnet_ids}");
            lb.putArray("security_groups").add("${aws_security_group." + s + "_nlb.id}");
        }
        for (EcsTask.PortMapping p : svc.published()) {
            String tg = sid + "_" + p.port() + "_" + p.protocol();
            String protocol = p.protocol().toUpperCase(java.util.Locale.ROOT);
            ObjectNode t = res.with("aws_lb_target_group").putObject(tg);
            t.put("name", escape(albName(m.stack() + "-" + svc.name() + "-" + p.port() + "-" + p.protocol())));
            t.put("port", p.port());
            t.put("protocol", protocol);
            t.put("target_type", "ip");
            t.put("vpc_id", "${var.vpc_id}");
            ObjectNode l = res.with("aws_lb_listener").putObject(tg);
            l.put("load_balancer_arn", "${aws_lb." + lbId + ".arn}");
            l.put("port", p.port());
            l.put("protocol", protocol);
            l.putObject("default_action").put("type", "forward").put("target_group_arn", "${aws_lb_target_group."
                    + tg + ".arn}");
        }
    }

    /** ALB and target group names: at most 32 characters of letters, digits and hyphens. */
    static String albName(String name) {
        String n = name.replaceAll("[^A-Za-z0-9-]", "-");
        return n.length() <= 32 ? n : n.substring(0, 32).replaceAll("-+$", "");
    }

    private static ObjectNode rule(String description, int from, int to, String protocol, boolean self, String cidrs) {
        ObjectNode r = TaskDefinitionJson.JSON.createObjectNode();
        r.put("description", description);
        r.put("from_port", from);
        r.put("to_port", to);
        r.put("protocol", protocol);
        r.put("self", self);
        // Terraform's JSON form of a nested block list wants every attribute present
        for (String k : List.of("ipv6_cidr_blocks", "prefix_list_ids", "security_groups")) r.putArray(k);
        if (cidrs == null) r.putArray("cidr_blocks");
        else if (cidrs.startsWith("${")) r.put("cidr_blocks", cidrs);
        else r.putArray("cidr_blocks").add(cidrs);
        return r;
    }

    /** A Terraform name: letters, digits, underscores and hyphens, not starting with a digit. */
    static String id(String name) {
        String n = name.replaceAll("[^A-Za-z0-9_-]", "_");
        return n.isEmpty() || !Character.isLetter(n.charAt(0)) && n.charAt(0) != '_' ? "_" + n : n;
    }

    /** Text as a Terraform template that means itself. */
    static String escape(String text) {
        return text.replace("${", "$${").replace("%{", "%%{");
    }

    private static String write(ObjectNode root) {
        try {
            return TaskDefinitionJson.JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
