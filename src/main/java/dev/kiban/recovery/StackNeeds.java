package dev.kiban.recovery;

import dev.kiban.spec.Problem;
import dev.kiban.spec.SpecNode;
import dev.kiban.spec.SpecReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What one stack's compose file needs from outside it and what it brings: the external networks, secrets and
 * configs it names (which must exist before {@code docker stack deploy}), and the networks it creates (which
 * another stack may name as external). Pure: the text is read from the snapshot, never from the host.
 *
 * @param stack the stack's name (its directory in the compose tree)
 * @param file the compose file's name in that directory
 * @param networks the networks it creates, by the name the engine gives them
 * @param externalNetworks the networks it expects to exist
 * @param externalSecrets the secrets it expects to exist
 * @param externalConfigs the configs it expects to exist
 */
public record StackNeeds(String stack, String file, List<String> networks, List<String> externalNetworks,
        List<String> externalSecrets, List<String> externalConfigs) {

    /** Reads a compose file's text; {@code problems} hears of YAML it cannot read (the stack then needs nothing). */
    public static StackNeeds of(String stack, String file, String text, List<Problem> problems) {
        SpecNode tree = SpecReader.read(stack + "/" + file, text, problems);
        List<String> networks = new ArrayList<>();
        List<String> externalNetworks = new ArrayList<>();
        // the stack's default network is created for services that name none
        if (!(tree instanceof SpecNode.Mapping m) || m.get("networks") == null) networks.add(stack + "_default");
        split(tree, "networks", stack, networks, externalNetworks);
        List<String> secrets = new ArrayList<>();
        split(tree, "secrets", stack, new ArrayList<>(), secrets);
        List<String> configs = new ArrayList<>();
        split(tree, "configs", stack, new ArrayList<>(), configs);
        return new StackNeeds(stack, file, sorted(networks), sorted(externalNetworks), sorted(secrets),
                sorted(configs));
    }

    /** The top-level {@code section}'s keys: the ones it creates (stack-prefixed unless named) and the external. */
    private static void split(SpecNode tree, String section, String stack, List<String> created,
            List<String> external) {
        if (!(tree instanceof SpecNode.Mapping m) || !(m.get(section) instanceof SpecNode.Mapping s)) return;
        for (Map.Entry<String, SpecNode.Entry> e : s.entries().entrySet()) {
            SpecNode v = e.getValue().value();
            String name = text(v, "name");
            // the old form external: {name: x} names it inside
            String old = v instanceof SpecNode.Mapping m2 ? text(m2.get("external"), "name") : null;
            if (isTrue(v, "external")) external.add(old != null ? old : name != null ? name : e.getKey());
            else created.add(name != null ? name : stack + "_" + e.getKey());
        }
    }

    private static String text(SpecNode v, String key) {
        return v instanceof SpecNode.Mapping m && m.get(key) instanceof SpecNode.Scalar s ? s.text() : null;
    }

    private static boolean isTrue(SpecNode v, String key) {
        if (!(v instanceof SpecNode.Mapping m)) return false;
        SpecNode x = m.get(key);
        // the old form external: {name: x} is external too
        return x instanceof SpecNode.Scalar s && s.text().equals("true") || x instanceof SpecNode.Mapping;
    }

    private static List<String> sorted(List<String> names) {
        return List.copyOf(new TreeSet<>(names));
    }
}
