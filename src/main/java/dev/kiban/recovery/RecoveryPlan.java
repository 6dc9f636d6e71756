package dev.kiban.recovery;

import dev.kiban.backup.SwarmState;
import dev.kiban.recovery.RecoveryFacts.Place;
import dev.kiban.spec.Problem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What {@code kiban restore-all} does, decided from {@link RecoveryFacts} alone (pure): the ordered steps (the
 * swarm, images, volumes, the compose tree, configs, then each stack in the order their networks need, each
 * deploy followed until it converges), what is already there and kept, the secrets the operator must create
 * (D5: their values were never readable), the stacks that cannot be deployed and why, and the refusals that
 * stop the run before anything changes.
 *
 * @param snapshot the snapshot's id
 * @param steps what will be done, in order
 * @param kept what is already as the snapshot has it (a second run skips it)
 * @param problems what makes the snapshot unusable here (a name kiban never writes, stacks that need each
 *     other): nothing is done, exit 2
 * @param refusals what the host holds that restore-all will not touch without --yes: nothing is done, exit 1
 * @param secrets the secrets to create by hand, with the command and the stacks that wait for them
 * @param blocked the stacks that will not be deployed, and why
 * @param notes what the operator should know (containers left running beside the restore)
 */
public record RecoveryPlan(String snapshot, List<Step> steps, List<String> kept, List<String> problems,
        List<String> refusals, List<Secret> secrets, List<Blocked> blocked, List<String> notes) {

    /** A name docker accepts for a stack, volume, secret or config: the only ones put into a command or a path. */
    static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}");
    /** The label restore-all puts on what it creates. */
    public static final String LABEL = "dev.kiban.restore-all.snapshot";

    /** One step of the run. */
    public sealed interface Step {
        /** The step in the operator's words, for the plan and the report. */
        String describe();
    }

    /** The engine is in no swarm: initialise it as the spec says, as {@code kiban swarm init} does. */
    public record InitSwarm() implements Step {
        public String describe() {
            return "initialise the swarm as the spec says (as kiban swarm init)";
        }
    }

    public record LoadImage(String source, String id, String tags) implements Step {
        public String describe() {
            return "load image " + source + (tags.isEmpty() ? " (untagged)" : " (" + tags + ")");
        }
    }

    /** An engine volume the host lacks, created (labelled) so its data can go back before its stack starts. */
    public record CreateVolume(String name, String stack) implements Step {
        public String describe() {
            return "create volume " + name + (stack.isEmpty() ? "" : " (of stack " + stack + ")");
        }
    }

    public record RestoreVolume(String name, boolean replaces) implements Step {
        public String describe() {
            return "restore volume " + name + (replaces ? " (replaces the data it holds: --yes)" : "");
        }
    }

    public record RestoreCompose(boolean replaces) implements Step {
        public String describe() {
            return "restore the compose tree" + (replaces ? " (replaces the files it holds: --yes)" : "");
        }
    }

    public record CreateConfig(String name) implements Step {
        public String describe() {
            return "create Swarm config " + name;
        }
    }

    /** A stack deployed from the restored compose tree and followed until it converges. */
    public record DeployStack(String name, String file, List<String> after) implements Step {
        public String describe() {
            return "deploy stack " + name + " and wait for it" + (after.isEmpty() ? ""
                    : " (after " + String.join(", ", after) + ": it uses their networks)");
        }
    }

    /** A secret the engine lacks: the command that creates it, and the stacks that need it. */
    public record Secret(String name, List<String> stacks, String command) {}

    /** A stack that is not deployed, and why. */
    public record Blocked(String stack, String reason) {}

    /** Whether the run may start: no problem with the snapshot, no refusal. */
    public boolean runnable() {
        return problems.isEmpty() && refusals.isEmpty();
    }

    /** Whether something will be left for the operator after the run (secrets, stacks not deployed). */
    public boolean needsOperator() {
        return !secrets.isEmpty() || !blocked.isEmpty();
    }

    /** The plan as the operator reads it before anything is done. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) out.add("  " + (i + 1) + ". " + steps.get(i).describe());
        if (steps.isEmpty()) out.add("  nothing to do");
        kept.forEach(k -> out.add("  kept: " + k));
        secrets.forEach(s -> out.add("  secret " + s.name() + " to create by hand" + (s.stacks().isEmpty() ? ""
                : " (needed by " + String.join(", ", s.stacks()) + ")") + ": " + s.command()));
        blocked.forEach(b -> out.add("  not deploying " + b.stack() + ": " + b.reason()));
        notes.forEach(n -> out.add("  note: " + n));
        return out;
    }

    /** The plan for {@code f}; {@code yes} lets it restore beside other containers and over existing data. */
    public static RecoveryPlan of(RecoveryFacts f, boolean yes) {
        List<String> problems = new ArrayList<>();
        for (String bad : f.badNames()) {
            problems.add("the snapshot names " + bad + ", which kiban never writes; nothing was changed");
        }
        Map<String, StackNeeds> needs = new LinkedHashMap<>();
        Map<String, String> blocked = new TreeMap<>();
        for (RecoveryFacts.Stack s : f.stacks()) {
            List<Problem> yaml = new ArrayList<>();
            StackNeeds n = StackNeeds.of(s.name(), s.file(), s.text(), yaml);
            if (yaml.stream().anyMatch(Problem::isError)) {
                blocked.put(s.name(), "its compose file cannot be read: " + yaml.get(0));
            }
            needs.put(s.name(), n);
            for (List<String> names : List.of(n.externalSecrets(), n.externalConfigs(), n.externalNetworks())) {
                for (String x : names) {
                    if (!NAME.matcher(x).matches()) problems.add("stack " + s.name() + " names " + Printable.of(x)
                            + ", which is no name docker accepts; nothing was changed");
                }
            }
        }
        List<String> order = order(needs, problems);
        if (!problems.isEmpty()) {
            return new RecoveryPlan(f.snapshot(), List.of(), List.of(), problems, List.of(), List.of(), List.of(),
                    List.of());
        }
        RecoveryFacts.EngineState e = f.engine();
        Set<String> ours = new TreeSet<>(f.journal().stacks());
        List<String> refusals = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        if (!e.otherContainers().isEmpty()) {
            String which = String.join(", ", e.otherContainers());
            if (yes) notes.add("left as they are, beside the restore: " + which);
            else refusals.add("this host runs containers that are not the snapshot's: " + which + " (--yes restores "
                    + "beside them and never touches them)");
        }
        for (String stack : needs.keySet()) {
            if (!e.stacks().contains(stack) || ours.contains(stack)) continue;
            if (yes) blocked.put(stack, "a stack of this name already runs here and restore-all did not make it: "
                    + "left as it is");
            else refusals.add("stack " + stack + " already runs here and restore-all did not deploy it from "
                    + f.snapshot() + " (--yes leaves it as it is and restores the rest)");
        }

        List<Step> steps = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        List<SwarmState.Config> configs = f.swarm().map(SwarmState::configs).orElse(List.of());
        if (!e.swarmActive() && (!needs.isEmpty() || !configs.isEmpty())) steps.add(new InitSwarm());
        for (RecoveryFacts.Image i : f.images()) {
            if (e.imageIds().contains(i.id())) kept.add("image " + i.source() + " (the engine has it)");
            else steps.add(new LoadImage(i.source(), i.id(), i.tags()));
        }
        for (RecoveryFacts.Volume v : f.volumes()) volume(v, f, yes, needs.keySet(), steps, kept, refusals);
        f.compose().ifPresent(p -> {
            if (p == Place.EQUAL) kept.add("the compose tree (it holds the snapshot's files)");
            else if (p == Place.DIFFERENT && !yes) refusals.add("the compose tree holds other files than the "
                    + "snapshot's (--yes replaces them)");
            else steps.add(new RestoreCompose(p == Place.DIFFERENT));
        });
        Set<String> configsThere = new TreeSet<>(e.configs());
        for (SwarmState.Config c : configs) {
            if (!NAME.matcher(c.name()).matches()) {
                notes.add("config " + Printable.of(c.name()) + " is no name docker accepts: not created");
            } else if (configsThere.add(c.name())) {
                steps.add(new CreateConfig(c.name()));
            } else {
                kept.add("config " + c.name() + " (the engine has it; a config cannot change in place)");
            }
        }

        // secrets: the stacks' external ones first, then the rest the snapshot recorded (D5: by name only)
        Map<String, Set<String>> missing = new TreeMap<>();
        for (StackNeeds n : needs.values()) {
            for (String s : n.externalSecrets()) {
                if (!e.secrets().contains(s)) missing.computeIfAbsent(s, k -> new TreeSet<>()).add(n.stack());
            }
        }
        for (SwarmState.Secret s : f.swarm().map(SwarmState::secrets).orElse(List.of())) {
            if (e.secrets().contains(s.name())) continue;
            if (!NAME.matcher(s.name()).matches()) {
                notes.add("the snapshot records a secret named " + Printable.of(s.name()) + ", which is no name "
                        + "docker accepts");
                continue;
            }
            missing.computeIfAbsent(s.name(), k -> new TreeSet<>());
        }
        List<Secret> secrets = new ArrayList<>();
        missing.forEach((name, stacks) -> secrets.add(new Secret(name, List.copyOf(stacks),
                "printf '%s' \"$VALUE\" | docker secret create " + name + " -")));

        Set<String> networksThere = new TreeSet<>(e.networks());
        Map<String, String> creator = new LinkedHashMap<>();
        needs.values().forEach(n -> n.networks().forEach(net -> creator.putIfAbsent(net, n.stack())));
        for (String stack : order) {
            StackNeeds n = needs.get(stack);
            if (blocked.containsKey(stack)) continue;
            List<String> why = new ArrayList<>();
            List<String> lacking = n.externalSecrets().stream().filter(s -> !e.secrets().contains(s)).toList();
            if (!lacking.isEmpty()) why.add("it needs the secret" + (lacking.size() == 1 ? " " : "s ")
                    + String.join(", ", lacking) + ", which the engine lacks (create it, then run restore-all again)");
            List<String> noConfig = n.externalConfigs().stream().filter(c -> !configsThere.contains(c)).toList();
            if (!noConfig.isEmpty()) why.add("it needs the config" + (noConfig.size() == 1 ? " " : "s ")
                    + String.join(", ", noConfig) + ", which neither the engine nor the snapshot has");
            List<String> after = new ArrayList<>();
            for (String net : n.externalNetworks()) {
                String by = creator.get(net);
                if (by != null && !by.equals(stack)) {
                    if (blocked.containsKey(by)) why.add("it uses the network " + net + " of stack " + by
                            + ", which is not deployed");
                    else after.add(by);
                } else if (by == null && !networksThere.contains(net)) {
                    why.add("it uses the network " + net + ", which no stack of the snapshot creates (docker network "
                            + "create --driver overlay --attachable " + net + ")");
                }
            }
            if (!why.isEmpty()) {
                blocked.put(stack, String.join("; ", why));
                continue;
            }
            steps.add(new DeployStack(stack, n.file(), List.copyOf(new LinkedHashSet<>(after))));
        }
        List<Blocked> notDeployed = new ArrayList<>();
        blocked.forEach((s, why) -> notDeployed.add(new Blocked(s, why)));
        return new RecoveryPlan(f.snapshot(), steps, kept, problems, refusals, secrets, notDeployed, notes);
    }

    private static void volume(RecoveryFacts.Volume v, RecoveryFacts f, boolean yes, Set<String> stacks,
            List<Step> steps, List<String> kept, List<String> refusals) {
        if (f.journal().volumes().contains(v.name())) {
            kept.add("volume " + v.name() + " (restored by an earlier run of restore-all from " + f.snapshot()
                    + "; its stack may have written to it since)");
            return;
        }
        if (v.place() == Place.EQUAL) {
            kept.add("volume " + v.name() + " (it holds the snapshot's data)");
            return;
        }
        if (v.place() == Place.DIFFERENT && !yes) {
            refusals.add("volume " + v.name() + " exists and holds other data than the snapshot's (--yes replaces it)");
            return;
        }
        if (!v.usedBy().isEmpty()) {
            refusals.add("volume " + v.name() + " is in use by " + String.join(", ", v.usedBy()) + "; stop them "
                    + "first (restore-all never stops what it did not start)");
            return;
        }
        if (v.place() == Place.ABSENT && !v.inTree()) {
            String stack = stacks.stream().filter(s -> v.name().startsWith(s + "_")).findFirst().orElse("");
            steps.add(new CreateVolume(v.name(), stack));
        }
        steps.add(new RestoreVolume(v.name(), v.place() == Place.DIFFERENT));
    }

    /**
     * The stacks in an order where each comes after the stacks whose networks it names as external; among equals
     * by name. Stacks that need each other are a problem.
     */
    static List<String> order(Map<String, StackNeeds> needs, List<String> problems) {
        Map<String, String> creator = new TreeMap<>();
        needs.values().forEach(n -> n.networks().forEach(net -> creator.putIfAbsent(net, n.stack())));
        Map<String, Set<String>> before = new TreeMap<>();
        for (StackNeeds n : needs.values()) {
            Set<String> deps = new TreeSet<>();
            for (String net : n.externalNetworks()) {
                String by = creator.get(net);
                if (by != null && !by.equals(n.stack())) deps.add(by);
            }
            before.put(n.stack(), deps);
        }
        List<String> out = new ArrayList<>();
        Set<String> left = new TreeSet<>(before.keySet());
        while (!left.isEmpty()) {
            String next = left.stream().filter(s -> out.containsAll(before.get(s))).findFirst().orElse(null);
            if (next == null) {
                problems.add("the stacks " + String.join(", ", left) + " name each other's networks as external: "
                        + "no order deploys them; nothing was changed");
                return out;
            }
            out.add(next);
            left.remove(next);
        }
        return out;
    }
}
