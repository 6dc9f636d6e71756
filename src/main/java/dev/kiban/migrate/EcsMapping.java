package dev.kiban.migrate;

import dev.kiban.migrate.EcsTask.Container;
import dev.kiban.migrate.EcsTask.HealthCheck;
import dev.kiban.migrate.EcsTask.LogGroup;
import dev.kiban.migrate.EcsTask.MountPoint;
import dev.kiban.migrate.EcsTask.PortMapping;
import dev.kiban.migrate.EcsTask.SecretFrom;
import dev.kiban.migrate.EcsTask.TaskVolume;
import dev.kiban.migrate.EcsTask.Ulimit;
import dev.kiban.migrate.KeyOutcome.Outcome;
import dev.kiban.spec.ByteSize;
import dev.kiban.spec.Problem;
import dev.kiban.spec.SpecNode;
import dev.kiban.spec.SpecNode.Mapping;
import dev.kiban.spec.SpecNode.Scalar;
import dev.kiban.spec.SpecNode.Sequence;
import dev.kiban.spec.SpecText;
import dev.kiban.spec.TimeSpan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Compose → ECS on Fargate, one stack at a time, pure. Every key of every service is accounted for in a
 * {@link KeyOutcome}: mapped, approximated (what changed) or unsupported (why, and what to do); an unknown
 * key is reported, never dropped. What cannot run on Fargate without changing what the service is, is a
 * refusal at its file and line, and then nothing of the stack is written: a bind mount of a host path,
 * {@code build:} without {@code image:}, {@code privileged}, the host's network or PID namespace,
 * {@code devices}, a published port other than its target (awsvpc gives each task its own address, so
 * the host port is the container port), a secret or volume used but not declared.
 *
 * <p>Values are copied into the task definition, never into a note: an environment variable whose name
 * says it is a secret (PASSWORD, SECRET, TOKEN, …) is not copied at all but becomes a Secrets Manager (or
 * Parameter Store, {@link SecretStore})
 * secret the operator fills.
 */
public final class EcsMapping {
    /**
     * Where the stack goes (the region for awslogs) and the size of a service without limits or reservations
     * (the spec's {@code migrate.defaults}), in cpus and bytes.
     */
    public record Options(String region, double defaultCpus, long defaultMemory, SecretStore secrets) {
        /** The spec's built-in defaults: a quarter of a CPU and 512 MiB. */
        public Options(String region) {
            this(region, 0.25, 512L << 20);
        }

        /** Secrets in Secrets Manager. */
        public Options(String region, double defaultCpus, long defaultMemory) {
            this(region, defaultCpus, defaultMemory, SecretStore.SECRETSMANAGER);
        }
    }

    private static final Pattern SECRET_NAME = Pattern.compile(
            ".*(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL).*", Pattern.CASE_INSENSITIVE);
    /** ECS's ranges for a container health check, in seconds (retries a count). */
    static final int[] INTERVAL = {5, 300};
    static final int[] TIMEOUT = {2, 60};
    static final int[] RETRIES = {1, 10};
    static final int[] START_PERIOD = {0, 300};
    /** Fargate stops a container at most 120 s after SIGTERM. */
    static final int MAX_STOP_TIMEOUT = 120;

    /** Service keys with no counterpart on Fargate, and what the operator does instead. */
    private static final Map<String, String> UNSUPPORTED = unsupported();

    private final StackSource source;
    private final Options options;
    private final String file;
    private final List<KeyOutcome> outcomes = new ArrayList<>();
    private final List<Problem> refusals = new ArrayList<>();
    private final Set<String> secrets = new LinkedHashSet<>();
    private final Set<String> volumes = new LinkedHashSet<>();
    private final Set<String> networks = new LinkedHashSet<>();
    private final Interpolation interpolation;
    private Mapping declaredSecrets;
    private Mapping declaredVolumes;

    private EcsMapping(StackSource source, Options options) {
        this.source = source;
        this.options = options;
        this.file = source.file();
        this.interpolation = new Interpolation(source.variables());
    }

    public static StackMigration map(StackSource source, Options options) {
        return new EcsMapping(source, options).stack();
    }

    private StackMigration stack() {
        List<EcsService> services = new ArrayList<>();
        if (!(substituted() instanceof Mapping root)) {
            refuse(source.tree(), "", "a compose file is a mapping with services:");
            return result(services);
        }
        declaredSecrets = root.get("secrets") instanceof Mapping m ? m : new Mapping(root.location(), Map.of());
        declaredVolumes = root.get("volumes") instanceof Mapping m ? m : new Mapping(root.location(), Map.of());
        root.entries().forEach((key, e) -> topLevel(key, e));
        if (!(root.get("services") instanceof Mapping all) || all.entries().isEmpty()) {
            refuse(root, "services", "no services to migrate");
            return result(services);
        }
        all.entries().forEach((name, e) -> {
            if (e.value() instanceof Mapping svc) {
                service(name, svc).ifPresent(services::add);
            } else {
                refuse(e.value(), "services." + name, "a service is a mapping");
            }
        });
        return result(services);
    }

    /**
     * The tree with compose's variables substituted, each use said in the report at its key; a variable named
     * like a secret is allowed only in environment: (whose variable then reads a Secrets Manager secret), and a
     * required variable that is unset ({@code ${VAR:?}}) is a refusal, as compose refuses it.
     */
    private SpecNode substituted() {
        if (!(source.tree() instanceof Mapping root)) return source.tree();
        Map<String, SpecNode.Entry> top = new LinkedHashMap<>();
        String from = source.variableFiles().isEmpty() ? "no variable file (common/.env, .env)"
                : String.join(" and ", source.variableFiles());
        root.entries().forEach((key, e) -> {
            if (key.equals("services") && e.value() instanceof Mapping all) {
                Map<String, SpecNode.Entry> services = new LinkedHashMap<>();
                all.entries().forEach((svc, se) -> {
                    if (!(se.value() instanceof Mapping m)) {
                        services.put(svc, se);
                        return;
                    }
                    Map<String, SpecNode.Entry> keys = new LinkedHashMap<>();
                    m.entries().forEach((k, ke) -> {
                        Interpolation.Use use = new Interpolation.Use();
                        SpecNode v = interpolation.apply(ke.value(), use);
                        boolean keep = !use.any() || substitution(svc, k, ke, use, from);
                        // a refused substitution keeps the text as written: no secret's value in memory either
                        keys.put(k, keep ? new SpecNode.Entry(ke.keyLocation(), v) : ke);
                    });
                    services.put(svc, new SpecNode.Entry(se.keyLocation(), new Mapping(m.location(),
                            java.util.Collections.unmodifiableMap(keys))));
                });
                top.put(key, new SpecNode.Entry(e.keyLocation(), new Mapping(all.location(),
                        java.util.Collections.unmodifiableMap(services))));
            } else {
                Interpolation.Use use = new Interpolation.Use();
                top.put(key, new SpecNode.Entry(e.keyLocation(), interpolation.apply(e.value(), use)));
            }
        });
        return new Mapping(root.location(), java.util.Collections.unmodifiableMap(top));
    }

    /** Says what a key's substitution did; false when it is refused. */
    private boolean substitution(String svc, String key, SpecNode.Entry at, Interpolation.Use use, String from) {
        String path = "services." + svc + "." + key;
        for (String r : use.required) refuse(at, path, "the required variable " + r + " is not set in " + from);
        List<String> secretNamed = new ArrayList<>();
        use.used.stream().filter(EcsMapping::isSecretName).forEach(secretNamed::add);
        if (!secretNamed.isEmpty() && !key.equals("environment")) {
            refuse(at, path, "substitutes " + String.join(", ", secretNamed) + ", named like a secret, outside"
                    + " environment:; kiban copies no secret's value: pass it through environment:");
            return false;
        }
        List<String> parts = new ArrayList<>();
        if (!use.used.isEmpty()) parts.add("substituted " + String.join(", ", use.used) + " from " + from);
        if (!use.unset.isEmpty()) parts.add(String.join(", ", use.unset) + " not set: empty or the default, as"
                + " compose does");
        note(at.keyLocation().line(), svc, key, Outcome.APPROXIMATED, "variables: " + String.join("; ", parts));
        return use.required.isEmpty();
    }

    private StackMigration result(List<EcsService> services) {
        List<KeyOutcome> byLine = new ArrayList<>(outcomes);
        byLine.sort(java.util.Comparator.comparingInt(KeyOutcome::line));
        return new StackMigration(source.stack(), file, List.copyOf(services), List.copyOf(secrets),
                List.copyOf(volumes), List.copyOf(networks), List.copyOf(byLine), List.copyOf(refusals));
    }

    private void topLevel(String key, SpecNode.Entry e) {
        int line = e.keyLocation().line();
        switch (key) {
            case "services" -> note(line, "", key, Outcome.APPROXIMATED, "each service is an ECS service in ECS"
                    + " Service Connect (Cloud Map namespace " + source.stack() + "): the stack's services reach it"
                    + " by its compose name and aliases on its TCP ports, as on the compose network; UDP ports only"
                    + " at the task's own address");
            case "version" -> note(line, "", key, Outcome.APPROXIMATED, "obsolete in Compose v2 and ignored (D10)");
            case "name" -> note(line, "", key, Outcome.APPROXIMATED,
                    "the stack is named by its directory, " + source.stack() + ", as kiban deploys it");
            case "networks" -> {
                if (e.value() instanceof Mapping nets) {
                    nets.entries().forEach((n, ne) -> {
                        networks.add(n);
                        note(ne.keyLocation().line(), "", "networks." + n, Outcome.APPROXIMATED,
                                "a security group " + source.stack() + "-" + n + " open between its members;"
                                        + " drivers, subnets and IPAM are the VPC's (variables vpc_id, subnet_ids)");
                    });
                }
            }
            case "volumes" -> {
                if (e.value() instanceof Mapping vols) {
                    vols.entries().forEach((n, ve) -> note(ve.keyLocation().line(), "", "volumes." + n,
                            Outcome.APPROXIMATED, volumeNote(ve.value())));
                }
            }
            case "secrets" -> {
                if (e.value() instanceof Mapping defs) {
                    defs.entries().forEach((n, se) -> note(se.keyLocation().line(), "", "secrets." + n,
                            Outcome.APPROXIMATED, "a " + options.secrets().what() + " " + secretName(n)
                                    + " declared by name only: put the value into it (kiban never copies it)"));
                }
            }
            case "configs" -> note(line, "", key, Outcome.UNSUPPORTED,
                    "ECS has no configs: bake the file into the image or put it on the EFS volume");
            case "include" -> note(line, "", key, Outcome.UNSUPPORTED,
                    "included files are not read: run 'docker compose config' and migrate its output");
            default -> note(line, "", key, Outcome.UNSUPPORTED, key.startsWith("x-")
                    ? "an extension field: its anchors count where they are used, the field itself means nothing"
                    : "not a compose key kiban knows; check its spelling: nothing of it is migrated");
        }
    }

    private String volumeNote(SpecNode def) {
        String base = "an EFS access point on the stack's file system, transit encryption and IAM authorization on"
                + " (the stack's task role may mount it)";
        if (def instanceof Mapping m && m.get("driver_opts") instanceof Mapping opts
                && opts.get("device") instanceof Scalar device) {
            return base + "; its data is in " + device.text() + " on the host: copy it over (AWS DataSync, rsync)";
        }
        return base;
    }

    // ---- one service ------------------------------------------------------------------------------------

    /** What one service's keys build up; the container is made from it at the end. */
    private static final class Draft {
        String image;
        List<String> command = List.of();
        List<String> entryPoint = List.of();
        final Map<String, String> environment = new TreeMap<>();
        final Map<String, String> fromEnvFiles = new TreeMap<>();
        final List<SecretFrom> secrets = new ArrayList<>();
        final List<PortMapping> ports = new ArrayList<>();
        HealthCheck health;
        final List<Ulimit> ulimits = new ArrayList<>();
        boolean readOnly;
        String user;
        String workingDir;
        Integer stopTimeout;
        final List<MountPoint> mounts = new ArrayList<>();
        final List<TaskVolume> volumes = new ArrayList<>();
        final Map<String, String> labels = new TreeMap<>();
        final Map<String, String> deployLabels = new TreeMap<>();
        boolean init;
        final List<String> capAdd = new ArrayList<>();
        final List<String> capDrop = new ArrayList<>();
        final Map<String, String> sysctls = new TreeMap<>();
        boolean tty;
        boolean interactive;
        final List<String> networks = new ArrayList<>();
        final List<String> aliases = new ArrayList<>();
        Double limitCpus;
        Long limitMemory;
        Double reserveCpus;
        Long reserveMemory;
        int replicas = 1;
        boolean rollback;
        int minHealthy = 100;
        int maxPercent = 200;
        int parallelism = 1;
        boolean startFirst;
        SpecNode resourcesAt;
        int resourcesLine;
    }

    private Optional<EcsService> service(String name, Mapping svc) {
        Draft d = new Draft();
        String path = "services." + name;
        int before = refusals.size();
        for (Map.Entry<String, SpecNode.Entry> entry : svc.entries().entrySet()) {
            serviceKey(name, svc, d, entry.getKey(), entry.getValue());
        }
        if (d.image == null && svc.get("build") == null) refuse(svc, path + ".image", "no image: ECS runs images");
        if (d.networks.isEmpty()) {
            d.networks.add("default");
            networks.add("default");
        }
        Optional<FargateSize> size = size(name, d);
        if (refusals.size() > before || size.isEmpty()) return Optional.empty();
        rollout(d);
        Map<String, String> env = new TreeMap<>(d.fromEnvFiles);
        env.putAll(d.environment);
        Container c = new Container(name, d.image, d.command, d.entryPoint, env, List.copyOf(d.secrets),
                List.copyOf(d.ports), Optional.ofNullable(d.health),
                new LogGroup(StackMigration.logGroup(source.stack()), options.region(), name),
                List.copyOf(d.ulimits), d.readOnly, Optional.ofNullable(d.user), Optional.ofNullable(d.workingDir),
                Optional.ofNullable(d.stopTimeout), Optional.ofNullable(d.limitCpus).map(EcsMapping::cpuUnits),
                Optional.ofNullable(d.limitMemory).map(EcsMapping::mib),
                Optional.ofNullable(d.reserveMemory).map(EcsMapping::mib), List.copyOf(d.mounts),
                Map.copyOf(d.labels), d.init, List.copyOf(d.capAdd), List.copyOf(d.capDrop), Map.copyOf(d.sysctls),
                d.tty, d.interactive);
        EcsTask task = new EcsTask(source.stack() + "-" + name, size.get(), c, List.copyOf(d.volumes));
        List<PortMapping> published = d.ports.stream().filter(PortMapping::published).toList();
        boolean http = published.size() == 1 && published.get(0).protocol().equals("tcp")
                && isHttpPort(published.get(0).port());
        return Optional.of(new EcsService(name, task, d.replicas, d.rollback, d.minHealthy, d.maxPercent,
                List.copyOf(d.networks), published, http, Map.copyOf(d.deployLabels),
                List.copyOf(d.aliases)));
    }

    private void serviceKey(String svcName, Mapping svc, Draft d, String key, SpecNode.Entry e) {
        String path = "services." + svcName + "." + key;
        SpecNode v = e.value();
        int line = e.keyLocation().line();
        switch (key) {
            case "image" -> {
                d.image = text(v).orElse("");
                note(line, svcName, key, Outcome.MAPPED, "the container's image");
            }
            case "build" -> {
                if (svc.get("image") == null) {
                    refuse(e, path, "build: without image: ECS cannot build; build the image, push it to a registry"
                            + " (ECR) and name it in image:");
                } else {
                    note(line, svcName, key, Outcome.APPROXIMATED,
                            "not built on ECS: push the built image to a registry (ECR) under the name in image:");
                }
            }
            case "command", "entrypoint" -> {
                List<String> words = words(v);
                if (key.equals("command")) d.command = words;
                else d.entryPoint = words;
                note(line, svcName, key, Outcome.MAPPED, key.equals("command") ? "command" : "entryPoint");
            }
            case "environment" -> environment(svcName, d, e);
            case "env_file" -> envFiles(svcName, d, e);
            case "secrets" -> secrets(svcName, d, e);
            case "ports" -> ports(svcName, d, e, true);
            case "expose" -> ports(svcName, d, e, false);
            case "healthcheck" -> d.health = healthCheck(svcName, e).orElse(null);
            case "logging" -> note(line, svcName, key, Outcome.APPROXIMATED, "the awslogs driver into "
                    + StackMigration.logGroup(source.stack()) + " (stream prefix " + svcName + ") replaces the driver"
                    + " and its options");
            case "ulimits" -> ulimits(svcName, d, e);
            case "read_only" -> {
                d.readOnly = bool(v);
                note(line, svcName, key, Outcome.MAPPED, "readonlyRootFilesystem");
            }
            case "user" -> {
                d.user = text(v).orElse(null);
                note(line, svcName, key, Outcome.MAPPED, "user");
            }
            case "working_dir" -> {
                d.workingDir = text(v).orElse(null);
                note(line, svcName, key, Outcome.MAPPED, "workingDirectory");
            }
            case "stop_grace_period" -> stopGrace(svcName, d, e);
            case "depends_on" -> note(line, svcName, key, Outcome.APPROXIMATED, "each service is its own ECS service"
                    + " and starts on its own: dependsOn works only inside one task; " + svcName + " reaches "
                    + String.join(", ", keysOrItems(v)) + " by compose name (Service Connect) and must retry until"
                    + " they answer");
            case "deploy" -> deploy(svcName, d, e);
            case "networks" -> {
                for (String n : keysOrItems(v)) {
                    d.networks.add(n);
                    networks.add(n);
                }
                boolean settings = v instanceof Mapping m && m.entries().values().stream()
                        .anyMatch(ne -> ne.value() instanceof Mapping nm && !nm.entries().isEmpty());
                if (v instanceof Mapping m) {
                    m.entries().values().forEach(ne -> {
                        if (ne.value() instanceof Mapping nm && nm.get("aliases") != null) {
                            for (String a : words(nm.get("aliases"))) {
                                String dns = a.toLowerCase(Locale.ROOT);
                                if (!dns.matches("[a-z0-9_.][a-z0-9_.-]{0,126}")) {
                                    note(line, svcName, "networks.aliases", Outcome.UNSUPPORTED, "alias "
                                            + SpecText.shown(a) + " is no Service Connect name (lowercase letters,"
                                            + " digits, _ . -, at most 127): dropped; rename it");
                                } else if (!dns.equals(svcName.toLowerCase(Locale.ROOT))
                                        && !d.aliases.contains(dns)) {
                                    d.aliases.add(dns);
                                }
                            }
                        }
                    });
                }
                note(line, svcName, key, settings ? Outcome.APPROXIMATED : Outcome.MAPPED, "the security groups of "
                        + String.join(", ", keysOrItems(v)) + (settings ? "; aliases are Service Connect names in the"
                        + " whole stack, not only on their network; fixed addresses and other settings are dropped"
                        : ""));
            }
            case "volumes" -> volumes(svcName, d, e);
            case "labels" -> {
                d.labels.putAll(pairs(v));
                note(line, svcName, key, Outcome.MAPPED, "dockerLabels");
            }
            case "container_name" -> note(line, svcName, key, Outcome.APPROXIMATED,
                    "ECS names the tasks; the container is named " + svcName);
            case "init" -> {
                d.init = bool(v);
                note(line, svcName, key, Outcome.MAPPED, "linuxParameters.initProcessEnabled");
            }
            case "cap_add" -> capAdd(svcName, d, e);
            case "cap_drop" -> {
                d.capDrop.addAll(keysOrItems(v));
                note(line, svcName, key, Outcome.MAPPED, "linuxParameters.capabilities.drop");
            }
            case "sysctls" -> sysctls(svcName, d, e);
            case "tty" -> {
                d.tty = bool(v);
                note(line, svcName, key, Outcome.MAPPED, "pseudoTerminal");
            }
            case "stdin_open" -> {
                d.interactive = bool(v);
                note(line, svcName, key, Outcome.MAPPED, "interactive");
            }
            case "restart" -> note(line, svcName, key, Outcome.APPROXIMATED,
                    "an ECS service replaces every task that stops, whatever the policy");
            case "links", "external_links" -> note(line, svcName, key, Outcome.APPROXIMATED,
                    "no links on awsvpc: reach the service by its compose name (Service Connect)");
            case "privileged" -> {
                if (bool(v)) refuse(e, path, "privileged: Fargate runs no privileged container; drop it, or the"
                        + " service stays on Docker");
                else note(line, svcName, key, Outcome.MAPPED, "not privileged, as every Fargate container");
            }
            case "network_mode" -> {
                String mode = text(v).orElse("");
                if (mode.equals("host")) refuse(e, path, "network_mode: host: Fargate gives each task its own"
                        + " network (awsvpc); publish the ports instead");
                else note(line, svcName, key, Outcome.UNSUPPORTED, "Fargate has awsvpc only; " + mode
                        + " is dropped");
            }
            case "pid" -> {
                if (text(v).orElse("").equals("host")) refuse(e, path, "pid: host: Fargate does not share the host's"
                        + " PID namespace; the service stays on Docker");
                else note(line, svcName, key, Outcome.UNSUPPORTED, "no PID namespace sharing between services on ECS");
            }
            case "devices" -> {
                if (v instanceof Sequence s && !s.items().isEmpty() || v instanceof Mapping m2
                        && !m2.entries().isEmpty()) {
                    refuse(e, path, "devices: Fargate gives no host device to a container; the service stays on"
                            + " Docker");
                } else {
                    note(line, svcName, key, Outcome.MAPPED, "no devices");
                }
            }
            case "mem_limit", "cpus", "mem_reservation" -> legacyResources(svcName, d, key, e);
            default -> {
                String why = UNSUPPORTED.get(key);
                note(line, svcName, key, Outcome.UNSUPPORTED, why != null ? why : key.startsWith("x-")
                        ? "an extension field: means nothing to ECS"
                        : "not a compose key kiban knows; check its spelling: nothing of it is migrated");
            }
        }
    }

    private void environment(String svc, Draft d, SpecNode.Entry e) {
        Map<String, SpecNode> vars = new LinkedHashMap<>();
        Set<String> substitutesSecret = new java.util.HashSet<>();
        if (e.value() instanceof Mapping m) {
            m.entries().forEach((k, ve) -> vars.put(k, ve.value()));
        } else if (e.value() instanceof Sequence s) {
            for (SpecNode i : s.items()) {
                String t = text(i).orElse("");
                int eq = t.indexOf('=');
                String name = eq < 0 ? t : t.substring(0, eq);
                vars.put(name, eq < 0 ? new SpecNode.Null(i.location())
                        : new Scalar(i.location(), t.substring(eq + 1), Scalar.Kind.STRING));
                if (interpolation.named.getOrDefault(i, Set.of()).stream().anyMatch(EcsMapping::isSecretName)) {
                    substitutesSecret.add(name);
                }
            }
        }
        List<String> secretVars = new ArrayList<>();
        List<String> unset = new ArrayList<>();
        vars.forEach((k, v) -> {
            boolean secretInside = substitutesSecret.contains(k) || interpolation.named.getOrDefault(v, Set.of())
                    .stream().anyMatch(EcsMapping::isSecretName);
            if (v instanceof SpecNode.Null) {
                unset.add(k);
            } else if (isSecretName(k) || secretInside) {
                secretVars.add(k);
                d.secrets.add(new SecretFrom(k, envSecret(svc, k)));
            } else {
                d.environment.put(k, text(v).orElse(""));
            }
        });
        String note = "environment";
        Outcome outcome = Outcome.MAPPED;
        if (!secretVars.isEmpty()) {
            outcome = Outcome.APPROXIMATED;
            note += "; " + String.join(", ", secretVars) + " not copied: each read from its " + options.secrets().what()
                    + " " + envSecret(svc, "<NAME>") + ", which you fill";
        }
        if (!unset.isEmpty()) {
            outcome = Outcome.APPROXIMATED;
            note += "; " + String.join(", ", unset) + " without a value (compose takes it from the shell"
                    + " that deploys): left out, set it in the task definition";
        }
        note(e.keyLocation().line(), svc, "environment", outcome, note);
    }

    private void envFiles(String svc, Draft d, SpecNode.Entry e) {
        List<SpecNode> items = e.value() instanceof Sequence s ? s.items() : List.of(e.value());
        List<String> secretVars = new ArrayList<>();
        for (SpecNode i : items) {
            boolean required = !(i instanceof Mapping m && m.get("required") instanceof Scalar r
                    && r.text().equalsIgnoreCase("false"));
            String written = text(i instanceof Mapping m ? m.get("path") : i).orElse("");
            StackSource.EnvFile f = source.envFiles().get(written);
            if (f instanceof StackSource.EnvFile.Read read) {
                for (StackSource.EnvVar var : read.vars()) {
                    if (var.value() == null) continue;
                    if (isSecretName(var.name())) {
                        secretVars.add(var.name());
                        d.secrets.removeIf(s -> s.variable().equals(var.name()));
                        d.secrets.add(new SecretFrom(var.name(), envSecret(svc, var.name())));
                    } else {
                        d.fromEnvFiles.put(var.name(), var.value());
                    }
                }
            } else if (f instanceof StackSource.EnvFile.Refused r) {
                if (required || !r.why().equals("no such file")) {
                    refuse(i, "services." + svc + ".env_file", "env file " + SpecText.shown(written) + " " + r.why());
                }
            } else {
                refuse(i, "services." + svc + ".env_file", "env file " + SpecText.shown(written) + " was not read");
            }
        }
        note(e.keyLocation().line(), svc, "env_file", secretVars.isEmpty() ? Outcome.MAPPED : Outcome.APPROXIMATED,
                "read into environment (environment: wins)" + (secretVars.isEmpty() ? "" : "; "
                        + String.join(", ", secretVars) + " not copied: each read from its "
                        + options.secrets().what()));
    }

    private void secrets(String svc, Draft d, SpecNode.Entry e) {
        List<String> names = new ArrayList<>();
        for (SpecNode i : e.value() instanceof Sequence s ? s.items() : List.<SpecNode>of()) {
            String src = text(i instanceof Mapping m ? m.get("source") : i).orElse("");
            String target = i instanceof Mapping m && m.get("target") != null ? text(m.get("target")).orElse(src)
                    : src;
            if (declaredSecrets.get(src) == null && !declaredSecrets.entries().containsKey(src)) {
                refuse(i, "services." + svc + ".secrets", "secret " + SpecText.shown(src)
                        + " is not declared under the top-level secrets:");
                continue;
            }
            secrets.add(secretName(src));
            String variable = target.replaceAll("^.*/", "").toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_]", "_");
            d.secrets.add(new SecretFrom(variable, secretName(src)));
            names.add(src + " → $" + variable);
        }
        note(e.keyLocation().line(), svc, "secrets", Outcome.APPROXIMATED, "compose mounts each at /run/secrets/;"
                + " ECS passes it as an environment variable (" + String.join(", ", names)
                + ") from the " + options.secrets().what() + " kiban declares: read it from there");
    }

    private void ports(String svc, Draft d, SpecNode.Entry e, boolean publish) {
        String path = "services." + svc + "." + (publish ? "ports" : "expose");
        boolean approximated = false;
        boolean hostIp = false;
        for (SpecNode i : e.value() instanceof Sequence s ? s.items() : List.<SpecNode>of()) {
            String target;
            String published;
            String protocol = "tcp";
            if (i instanceof Mapping m) {
                target = text(m.get("target")).orElse("");
                published = text(m.get("published")).orElse(null);
                protocol = text(m.get("protocol")).orElse("tcp");
                hostIp |= m.get("host_ip") != null || m.get("mode") != null;
            } else {
                String t = text(i).orElse("");
                int slash = t.lastIndexOf('/');
                if (slash >= 0) {
                    protocol = t.substring(slash + 1);
                    t = t.substring(0, slash);
                }
                int last = t.lastIndexOf(':');
                target = t.substring(last + 1);
                String rest = last < 0 ? "" : t.substring(0, last);
                int prev = rest.lastIndexOf(':');
                published = last < 0 ? null : rest.substring(prev + 1);
                if (published != null && published.isEmpty()) published = null;
                hostIp |= prev >= 0;
            }
            if (!publish) published = null;
            if (published != null && !published.equals(target)) {
                refuse(i, path, "publishes " + published + " for container port " + target + ": on awsvpc the"
                        + " host port is the container port; make the service listen on " + published
                        + " or publish " + target);
                continue;
            }
            if (!protocol.equals("tcp") && !protocol.equals("udp")) {
                refuse(i, path, "protocol " + SpecText.shown(protocol) + ": ECS maps tcp and udp");
                continue;
            }
            int[] range = range(target);
            if (range == null || range[1] - range[0] > 99) {
                refuse(i, path, "port " + SpecText.shown(target) + " is not a port or a range of at most 100");
                continue;
            }
            for (int p = range[0]; p <= range[1]; p++) d.ports.add(new PortMapping(p, protocol, published != null));
        }
        approximated |= hostIp;
        List<PortMapping> published = d.ports.stream().filter(PortMapping::published).toList();
        boolean alb = published.size() == 1 && published.get(0).protocol().equals("tcp")
                && isHttpPort(published.get(0).port());
        if (publish && !alb && published.size() > EcsService.MAX_TARGET_GROUPS) {
            approximated = true;
        }
        String what = !publish ? "portMappings, reachable inside the stack's security groups"
                : alb ? "portMappings, behind the stack's ALB (HTTP " + published.get(0).port() + ")"
                : published.size() <= EcsService.MAX_TARGET_GROUPS ? "portMappings, each behind the stack's NLB"
                        + " (open to allowed_cidrs)"
                : "portMappings, open to allowed_cidrs on the task's own address, which changes with every task:"
                        + " more than " + EcsService.MAX_TARGET_GROUPS + " ports, so no NLB (ECS attaches at most "
                        + EcsService.MAX_TARGET_GROUPS + " target groups to a service)";
        note(e.keyLocation().line(), svc, publish ? "ports" : "expose", approximated ? Outcome.APPROXIMATED
                : Outcome.MAPPED, what + (hostIp ? "; host_ip and mode are dropped: the task has its own address"
                : ""));
    }

    private static int[] range(String t) {
        try {
            String[] p = t.split("-");
            int a = Integer.parseInt(p[0]);
            int b = p.length > 1 ? Integer.parseInt(p[1]) : a;
            return a < 1 || b > 65535 || b < a ? null : new int[] {a, b};
        } catch (NumberFormatException ex) {
            return null;
        }
    }

    private Optional<HealthCheck> healthCheck(String svc, SpecNode.Entry e) {
        if (!(e.value() instanceof Mapping m)) return Optional.empty();
        int line = e.keyLocation().line();
        if (bool(m.get("disable"))) {
            note(line, svc, "healthcheck", Outcome.MAPPED, "disabled: no healthCheck");
            return Optional.empty();
        }
        List<String> test;
        SpecNode t = m.get("test");
        if (t instanceof Sequence) {
            test = words(t);
        } else if (t != null) {
            test = List.of("CMD-SHELL", text(t).orElse(""));
        } else {
            note(line, svc, "healthcheck", Outcome.APPROXIMATED, "no test: the image's HEALTHCHECK is not read by ECS;"
                    + " write the test out");
            return Optional.empty();
        }
        if (!test.isEmpty() && test.get(0).equals("NONE")) {
            note(line, svc, "healthcheck", Outcome.MAPPED, "NONE: no healthCheck");
            return Optional.empty();
        }
        List<String> clamped = new ArrayList<>();
        int interval = clamp(seconds(m.get("interval"), 30), INTERVAL, "interval", clamped);
        int timeout = clamp(seconds(m.get("timeout"), 30), TIMEOUT, "timeout", clamped);
        int retries = clamp(m.get("retries") == null ? 3 : (int) number(m.get("retries"), 3), RETRIES, "retries",
                clamped);
        int start = clamp(seconds(m.get("start_period"), 0), START_PERIOD, "start_period", clamped);
        if (m.get("start_interval") != null) clamped.add("start_interval dropped (ECS has none)");
        note(line, svc, "healthcheck", clamped.isEmpty() ? Outcome.MAPPED : Outcome.APPROXIMATED,
                "healthCheck" + (clamped.isEmpty() ? "" : "; clamped to ECS's ranges: " + String.join(", ", clamped)));
        return Optional.of(new HealthCheck(test, interval, timeout, retries, start));
    }

    private static int clamp(int value, int[] range, String what, List<String> changes) {
        int c = Math.max(range[0], Math.min(range[1], value));
        if (c != value) changes.add(what + " " + value + " → " + c);
        return c;
    }

    private void ulimits(String svc, Draft d, SpecNode.Entry e) {
        List<String> dropped = new ArrayList<>();
        if (e.value() instanceof Mapping m) {
            m.entries().forEach((name, ue) -> {
                long soft;
                long hard;
                if (ue.value() instanceof Mapping sh) {
                    soft = (long) number(sh.get("soft"), 0);
                    hard = (long) number(sh.get("hard"), soft);
                } else {
                    soft = (long) number(ue.value(), 0);
                    hard = soft;
                }
                if (name.equals("nofile")) d.ulimits.add(new Ulimit(name, soft, hard));
                else dropped.add(name);
            });
        }
        note(e.keyLocation().line(), svc, "ulimits", dropped.isEmpty() ? Outcome.MAPPED : Outcome.APPROXIMATED,
                "ulimits" + (dropped.isEmpty() ? "" : "; Fargate sets only nofile: " + String.join(", ", dropped)
                        + " dropped"));
    }

    private void stopGrace(String svc, Draft d, SpecNode.Entry e) {
        int s = seconds(e.value(), 10);
        int c = Math.max(2, Math.min(MAX_STOP_TIMEOUT, s));
        d.stopTimeout = c;
        note(e.keyLocation().line(), svc, "stop_grace_period", c == s ? Outcome.MAPPED : Outcome.APPROXIMATED,
                "stopTimeout" + (c == s ? "" : "; " + s + " s → " + c + " s, Fargate's range is 2–120 s"));
    }

    private void deploy(String svc, Draft d, SpecNode.Entry e) {
        if (!(e.value() instanceof Mapping deploy)) return;
        deploy.entries().forEach((key, de) -> {
            int line = de.keyLocation().line();
            String k = "deploy." + key;
            SpecNode v = de.value();
            switch (key) {
                case "replicas" -> {
                    d.replicas = (int) number(v, 1);
                    note(line, svc, k, Outcome.MAPPED, "desired_count " + d.replicas);
                }
                case "mode" -> {
                    if (text(v).orElse("replicated").equals("global")) {
                        d.replicas = 1;
                        note(line, svc, k, Outcome.APPROXIMATED, "global: Fargate has no DAEMON strategy (EC2 only);"
                                + " one task, set desired_count for more");
                    } else {
                        note(line, svc, k, Outcome.MAPPED, "scheduling_strategy REPLICA");
                    }
                }
                case "resources" -> resources(svc, d, de);
                case "update_config" -> updateConfig(svc, d, de);
                case "rollback_config" -> note(line, svc, k, Outcome.APPROXIMATED, "the circuit breaker rolls back to"
                        + " the last deployment that completed; its pace is not configurable");
                case "restart_policy" -> note(line, svc, k, Outcome.APPROXIMATED, "an ECS service replaces every task"
                        + " that stops; max_attempts, delay and window are not kept");
                case "placement" -> note(line, svc, k, Outcome.UNSUPPORTED, "Fargate places tasks across the"
                        + " subnets in subnet_ids; node constraints have no meaning there");
                case "labels" -> {
                    d.deployLabels.putAll(pairs(v));
                    note(line, svc, k, Outcome.MAPPED, "tags on the ECS service");
                }
                case "endpoint_mode" -> note(line, svc, k, Outcome.APPROXIMATED, "Service Connect's proxy spreads"
                        + " connections over the tasks (vip-like)");
                default -> note(line, svc, k, Outcome.UNSUPPORTED, "not a deploy key kiban maps");
            }
        });
    }

    private void updateConfig(String svc, Draft d, SpecNode.Entry e) {
        if (!(e.value() instanceof Mapping u)) return;
        List<String> dropped = new ArrayList<>();
        Outcome outcome = Outcome.MAPPED;
        for (Map.Entry<String, SpecNode.Entry> ue : u.entries().entrySet()) {
            SpecNode v = ue.getValue().value();
            switch (ue.getKey()) {
                case "parallelism" -> d.parallelism = Math.max(0, (int) number(v, 1));
                case "order" -> d.startFirst = text(v).orElse("").equals("start-first");
                case "failure_action" -> {
                    d.rollback = text(v).orElse("").equals("rollback");
                    if (!d.rollback) {
                        outcome = Outcome.APPROXIMATED;
                        dropped.add("failure_action " + text(v).orElse("") + " → the circuit breaker stops the"
                                + " deployment without rolling back");
                    }
                }
                default -> {
                    outcome = Outcome.APPROXIMATED;
                    dropped.add(ue.getKey() + " not kept");
                }
            }
        }
        note(e.keyLocation().line(), svc, "deploy.update_config", outcome, "deployment_circuit_breaker (rollback "
                + d.rollback + ") and the healthy percentages from parallelism and order"
                + (dropped.isEmpty() ? "" : "; " + String.join(", ", dropped)));
    }

    /**
     * The healthy percentages from parallelism and order: start-first starts the new tasks beside the old
     * (100/200); stop-first stops {@code parallelism} tasks at a time (a minimum that leaves the others up).
     */
    private static void rollout(Draft d) {
        if (d.startFirst) {
            d.minHealthy = 100;
            d.maxPercent = 200;
            return;
        }
        int n = Math.max(1, d.replicas);
        int p = d.parallelism == 0 ? n : Math.min(n, d.parallelism);
        d.minHealthy = (int) Math.floor(100.0 * (n - p) / n);
        d.maxPercent = 100;
    }

    private void resources(String svc, Draft d, SpecNode.Entry e) {
        d.resourcesLine = e.keyLocation().line();
        d.resourcesAt = e.value();
        if (!(e.value() instanceof Mapping r)) return;
        if (r.get("limits") instanceof Mapping l) {
            if (l.get("cpus") != null) d.limitCpus = number(l.get("cpus"), 0);
            if (l.get("memory") != null) d.limitMemory = bytes(e, l.get("memory"), svc);
        }
        if (r.get("reservations") instanceof Mapping res) {
            if (res.get("cpus") != null) d.reserveCpus = number(res.get("cpus"), 0);
            if (res.get("memory") != null) d.reserveMemory = bytes(e, res.get("memory"), svc);
        }
    }

    private void legacyResources(String svc, Draft d, String key, SpecNode.Entry e) {
        boolean used = false;
        if (key.equals("cpus") && d.limitCpus == null) {
            d.limitCpus = number(e.value(), 0);
            used = true;
        } else if (key.equals("mem_limit") && d.limitMemory == null) {
            d.limitMemory = bytes(e, e.value(), svc);
            used = true;
        } else if (key.equals("mem_reservation") && d.reserveMemory == null) {
            d.reserveMemory = bytes(e, e.value(), svc);
            used = true;
        }
        note(e.keyLocation().line(), svc, key, Outcome.APPROXIMATED, used ? "sizes the task as deploy.resources would"
                : "deploy.resources wins");
    }

    /** The task size: the limits rounded up to a Fargate size, said how in the report; a refusal above 16 vCPU. */
    private Optional<FargateSize> size(String svc, Draft d) {
        int line = d.resourcesLine;
        Double cpus = d.limitCpus != null ? d.limitCpus : d.reserveCpus;
        Long memory = d.limitMemory != null ? d.limitMemory : d.reserveMemory;
        String from = d.limitCpus != null || d.limitMemory != null ? "limits" : "reservations";
        if (cpus == null && memory == null) {
            Optional<FargateSize> fit = FargateSize.fit(cpuUnits(options.defaultCpus()), mib(options.defaultMemory()));
            FargateSize size = fit.orElse(FargateSize.largest());
            note(line, svc, "deploy.resources", Outcome.APPROXIMATED, "no limits or reservations: sized from the"
                    + " spec's migrate.defaults (" + FargateSize.number(options.defaultCpus()) + " cpus / "
                    + mib(options.defaultMemory()) + " MiB) → task " + size + "; declare limits (R1.3, kiban stack"
                    + " lint) to size it");
            return Optional.of(size);
        }
        int needCpu = cpus == null ? 0 : cpuUnits(cpus);
        int needMemory = memory == null ? 0 : mib(memory);
        Optional<FargateSize> fit = FargateSize.fit(needCpu, needMemory);
        String need = (cpus == null ? "no cpus" : FargateSize.number(cpus) + " cpus") + " / "
                + (memory == null ? "no memory" : needMemory + " MiB");
        if (fit.isEmpty()) {
            SpecNode at = d.resourcesAt != null ? d.resourcesAt : source.tree();
            refuse(at, "services." + svc + ".deploy.resources", "needs " + need + ", more than Fargate's largest"
                    + " task, " + FargateSize.largest());
            return Optional.empty();
        }
        FargateSize s = fit.get();
        boolean exact = s.cpu() == needCpu && s.memory() == needMemory;
        note(line, svc, "deploy.resources", exact && from.equals("limits") ? Outcome.MAPPED : Outcome.APPROXIMATED,
                from + " " + need + " → task " + s + (exact ? "" : ", rounded up to a Fargate size")
                        + "; the container keeps cpu and memory limits" + (d.reserveMemory != null
                        ? " and its memory reservation" : ""));
        return fit;
    }

    private void capAdd(String svc, Draft d, SpecNode.Entry e) {
        List<String> dropped = new ArrayList<>();
        for (String c : keysOrItems(e.value())) {
            String name = c.toUpperCase(Locale.ROOT).replaceFirst("^CAP_", "");
            if (name.equals("SYS_PTRACE")) d.capAdd.add(name);
            else dropped.add(name);
        }
        note(e.keyLocation().line(), svc, "cap_add", dropped.isEmpty() ? Outcome.MAPPED : Outcome.UNSUPPORTED,
                dropped.isEmpty() ? "linuxParameters.capabilities.add" : "Fargate adds only SYS_PTRACE: "
                        + String.join(", ", dropped) + " dropped; the service may need to change or stay on Docker");
    }

    private void sysctls(String svc, Draft d, SpecNode.Entry e) {
        List<String> dropped = new ArrayList<>();
        pairs(e.value()).forEach((k, v) -> {
            if (k.startsWith("net.")) d.sysctls.put(k, v);
            else dropped.add(k);
        });
        note(e.keyLocation().line(), svc, "sysctls", dropped.isEmpty() ? Outcome.MAPPED : Outcome.APPROXIMATED,
                "systemControls" + (dropped.isEmpty() ? "" : "; Fargate sets only net.*: " + String.join(", ", dropped)
                        + " dropped"));
    }

    private void volumes(String svc, Draft d, SpecNode.Entry e) {
        String path = "services." + svc + ".volumes";
        List<String> notes = new ArrayList<>();
        Outcome outcome = Outcome.MAPPED;
        int anonymous = 0;
        for (SpecNode i : e.value() instanceof Sequence s ? s.items() : List.<SpecNode>of()) {
            String type;
            String src;
            String target;
            boolean ro;
            if (i instanceof Mapping m) {
                type = text(m.get("type")).orElse("volume");
                src = text(m.get("source")).orElse("");
                target = text(m.get("target")).orElse("");
                ro = bool(m.get("read_only"));
            } else {
                String[] p = text(i).orElse("").split(":");
                if (p.length == 1) {
                    src = "";
                    target = p[0];
                    ro = false;
                } else {
                    src = p[0];
                    target = p[1];
                    ro = p.length > 2 && List.of(p[2].split(",")).contains("ro");
                }
                type = src.startsWith("/") || src.startsWith(".") || src.startsWith("~") ? "bind" : "volume";
            }
            switch (type) {
                case "bind" -> refuse(i, path, "binds the host path " + SpecText.shown(src) + " to " + target
                        + ": a Fargate task has no host files; use a named volume (EFS) for data, or bake the files"
                        + " into the image");
                case "volume" -> {
                    if (src.isEmpty()) {
                        String name = "scratch-" + (++anonymous);
                        d.volumes.add(new TaskVolume(name, false, ""));
                        d.mounts.add(new MountPoint(name, target, ro));
                        outcome = Outcome.APPROXIMATED;
                        notes.add(target + ": task storage, gone when the task stops (anonymous volume)");
                    } else if (!declaredVolumes.entries().containsKey(src)) {
                        refuse(i, path, "volume " + SpecText.shown(src) + " is not declared under the top-level"
                                + " volumes:");
                    } else {
                        volumes.add(src);
                        if (d.volumes.stream().noneMatch(v -> v.name().equals(src))) {
                            d.volumes.add(new TaskVolume(src, true, src));
                        }
                        d.mounts.add(new MountPoint(src, target, ro));
                        notes.add(src + " → EFS access point " + src + " at " + target + (ro ? " (read-only)" : ""));
                    }
                }
                default -> {
                    outcome = Outcome.UNSUPPORTED;
                    notes.add(target + ": a " + type + " mount; Fargate has none (tmpfs, npipe, image mounts):"
                            + " dropped, the path is in the container's own layer");
                }
            }
        }
        note(e.keyLocation().line(), svc, "volumes", outcome, String.join("; ", notes));
    }

    // ---- values --------------------------------------------------------------------------------------

    /**
     * Plain HTTP by its port: 80, and the spec's application class 8000–8999 (R3.4), plus the usual 3000 and
     * 5000. 443 is not: TLS ends at the service, which an HTTP listener cannot front.
     */
    static boolean isHttpPort(int port) {
        return port == 80 || port >= 8000 && port <= 8999 || port == 3000 || port == 5000;
    }

    static boolean isSecretName(String name) {
        return SECRET_NAME.matcher(name).matches() && !name.toUpperCase(Locale.ROOT).endsWith("_FILE");
    }

    private String secretName(String composeSecret) {
        return source.stack() + "/" + composeSecret;
    }

    private String envSecret(String svc, String variable) {
        String name = source.stack() + "/" + svc + "/" + variable;
        if (!variable.startsWith("<")) secrets.add(name);
        return name;
    }

    static int cpuUnits(double cpus) {
        return (int) Math.ceil(cpus * 1024 - 1e-9);
    }

    static int mib(long bytes) {
        return (int) Math.min(Integer.MAX_VALUE, (bytes + (1 << 20) - 1) >> 20);
    }

    private long bytes(SpecNode.Entry at, SpecNode v, String svc) {
        String t = text(v).orElse("").trim();
        try {
            if (t.matches("\\d+")) return Long.parseLong(t);
            if (t.matches("(?i)\\d+b")) return Long.parseLong(t.substring(0, t.length() - 1));
            return ByteSize.parse(t).bytes();
        } catch (IllegalArgumentException ex) {
            refuse(v, "services." + svc + ".deploy.resources", "not a size: " + SpecText.shown(t));
            return 0;
        }
    }

    private static int seconds(SpecNode v, int otherwise) {
        Optional<String> t = text(v);
        if (t.isEmpty()) return otherwise;
        try {
            return (int) Math.min(Integer.MAX_VALUE, Math.ceil(TimeSpan.parse(t.get()).duration().toMillis() / 1000.0));
        } catch (IllegalArgumentException ex) {
            return otherwise;
        }
    }

    private static double number(SpecNode v, double otherwise) {
        try {
            return text(v).map(Double::parseDouble).orElse(otherwise);
        } catch (NumberFormatException ex) {
            return otherwise;
        }
    }

    static Optional<String> text(SpecNode n) {
        return n instanceof Scalar s ? Optional.of(s.text()) : Optional.empty();
    }

    private static boolean bool(SpecNode n) {
        return n instanceof Scalar s && s.text().equalsIgnoreCase("true");
    }

    /** A list of words, or a string split the way compose splits a command: on blanks, quotes kept together. */
    static List<String> words(SpecNode n) {
        if (n instanceof Sequence s) return s.items().stream().map(i -> text(i).orElse("")).toList();
        String t = text(n).orElse("");
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        char quote = 0;
        boolean any = false;
        for (char c : t.toCharArray()) {
            if (quote != 0) {
                if (c == quote) quote = 0;
                else w.append(c);
            } else if (c == '"' || c == '\'') {
                quote = c;
                any = true;
            } else if (Character.isWhitespace(c)) {
                if (any || w.length() > 0) out.add(w.toString());
                w.setLength(0);
                any = false;
            } else {
                w.append(c);
            }
        }
        if (any || w.length() > 0) out.add(w.toString());
        return List.copyOf(out);
    }

    private static List<String> keysOrItems(SpecNode n) {
        if (n instanceof Mapping m) return List.copyOf(m.entries().keySet());
        if (n instanceof Sequence s) return s.items().stream().map(i -> text(i).orElse("")).toList();
        return text(n).map(List::of).orElse(List.of());
    }

    private static Map<String, String> pairs(SpecNode n) {
        Map<String, String> out = new TreeMap<>();
        if (n instanceof Mapping m) m.entries().forEach((k, e) -> out.put(k, text(e.value()).orElse("")));
        if (n instanceof Sequence s) {
            for (SpecNode i : s.items()) {
                String t = text(i).orElse("");
                int eq = t.indexOf('=');
                out.put(eq < 0 ? t : t.substring(0, eq), eq < 0 ? "" : t.substring(eq + 1));
            }
        }
        return out;
    }

    private void note(int line, String service, String key, Outcome outcome, String note) {
        outcomes.add(new KeyOutcome(file, line, service, key, outcome, note));
    }

    private void refuse(SpecNode.Entry e, String path, String message) {
        refusals.add(new Problem(Problem.Severity.ERROR, file, e.keyLocation().line(), e.keyLocation().column(), path,
                message));
    }

    private void refuse(SpecNode at, String path, String message) {
        refusals.add(new Problem(Problem.Severity.ERROR, file, at.location().line(), at.location().column(), path,
                message));
    }

    private static Map<String, String> unsupported() {
        Map<String, String> m = new LinkedHashMap<>();
        String fargate = "Fargate has no such setting: dropped";
        for (String k : List.of("cpu_shares", "cpu_quota", "cpu_period", "cpu_count", "cpu_percent", "cpuset",
                "cpu_rt_runtime", "cpu_rt_period", "memswap_limit", "mem_swappiness", "oom_kill_disable",
                "oom_score_adj", "pids_limit", "blkio_config", "cgroup", "cgroup_parent", "isolation", "storage_opt",
                "runtime", "gpus", "device_cgroup_rules", "group_add", "userns_mode", "uts", "ipc", "mac_address",
                "link_local_ips", "use_api_socket")) {
            m.put(k, fargate);
        }
        m.put("hostname", "awsvpc: ECS sets the task's hostname; use the compose name (Service Connect)");
        m.put("domainname", "awsvpc: ECS sets the task's names; use the compose name (Service Connect)");
        m.put("extra_hosts", "Fargate has no extraHosts: use Cloud Map or Route 53 names");
        m.put("dns", "awsvpc uses the VPC's resolver: set DNS on the VPC");
        m.put("dns_search", "awsvpc uses the VPC's resolver: set DNS on the VPC");
        m.put("dns_opt", "awsvpc uses the VPC's resolver: set DNS on the VPC");
        m.put("tmpfs", "Fargate has no tmpfs: the path stays in the container's writable layer");
        m.put("shm_size", "Fargate has no sharedMemorySize: /dev/shm keeps its default");
        m.put("stop_signal", "ECS stops with the image's STOPSIGNAL: set it in the Dockerfile");
        m.put("configs", "ECS has no configs: bake the file into the image or put it on the EFS volume");
        m.put("security_opt", "Fargate takes no security options; its own confinement applies");
        m.put("platform", "the task runs linux/x86_64; for arm64 set runtime_platform by hand");
        m.put("profiles", "every service is migrated whatever its profiles");
        m.put("pull_policy", "ECS pulls the image when a task starts");
        m.put("scale", "use deploy.replicas");
        m.put("volumes_from", "no shared volumes between ECS services: use a named volume (EFS)");
        m.put("extends", "run 'docker compose config' and migrate its output");
        m.put("annotations", "no ECS counterpart: dropped");
        m.put("attach", "no ECS counterpart: dropped");
        m.put("credential_spec", "Windows only: dropped");
        m.put("develop", "compose watch is local development: dropped");
        m.put("label_file", "read labels: into labels: by hand");
        m.put("post_start", "lifecycle hooks have no ECS counterpart: bake them into the entrypoint");
        m.put("pre_stop", "lifecycle hooks have no ECS counterpart: bake them into the entrypoint");
        m.put("models", "no ECS counterpart: dropped");
        m.put("provider", "no ECS counterpart: dropped");
        return Map.copyOf(m);
    }
}
