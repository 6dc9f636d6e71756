package dev.kiban.dashboard;

import dev.kiban.engine.ServiceSummary;
import dev.kiban.migrate.StackFiles;
import dev.kiban.migrate.StackSource;
import dev.kiban.spec.Problem;
import dev.kiban.spec.SpecNode;
import dev.kiban.stack.StackRollout;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Drift between the compose tree (the spec's storage.compose, {@code <stack>/docker-compose.yml}) and the Swarm
 * services the engine runs: stacks on one side only, services on one side only, and per service the image and the
 * replicas. The files are read by {@link StackFiles}, as {@code kiban migrate} reads them: no link followed, 1 MiB at
 * most; a file that cannot be read is shown by its path and why, never its content. {@link #compare} is pure.
 */
final class StackDrift {
    /** How {@link StackFiles} says why it did not read a file: no text of the file is in these. */
    private static final List<String> OWN_WORDS = List.of("is a symbolic link", "is not a regular file",
            "is larger than", "is not UTF-8 text", "the compose tree is not a directory", "cannot be read",
            "passes through a symbolic link", "resolves outside", "no such file", "not a path kiban reads");

    private StackDrift() {}

    /** A compose service as declared: its image as written ("" for none), its mode and replicas (-1: unknown). */
    record Declared(String image, boolean global, int replicas) {}

    /** A stack of the compose tree: its file and services by their compose name. */
    record Stack(String name, String file, Map<String, Declared> services) {}

    /** A stack whose compose file kiban would not read or parse: why, in kiban's words. */
    record Unreadable(String stack, String file, String why) {}

    /** What the tree holds: the stacks read, the ones that could not be. */
    record Tree(List<Stack> stacks, List<Unreadable> unreadable) {}

    /** One difference; the texts are shown escaped. */
    record Finding(String stack, String service, String kind, String compose, String engine) {}

    /** Reads the compose tree at {@code tree} (the edge). */
    static Tree read(Path tree) throws IOException {
        List<Problem> problems = new ArrayList<>();
        List<StackSource> sources = StackFiles.find(List.of(), tree, problems);
        List<Stack> stacks = new ArrayList<>();
        Set<String> read = new TreeSet<>();
        for (StackSource s : sources) {
            stacks.add(new Stack(s.stack(), s.file(), services(s.tree())));
            read.add(s.stack());
        }
        List<Unreadable> unreadable = new ArrayList<>();
        Path top = tree.toAbsolutePath().normalize();
        for (Problem p : problems) {
            if (!p.isError()) continue;
            Path at = Path.of(p.file()).toAbsolutePath().normalize();
            String stack = at.startsWith(top) && !at.equals(top) ? top.relativize(at).getName(0).toString() : "";
            if (read.contains(stack) || unreadable.stream().anyMatch(u -> u.stack().equals(stack))) continue;
            // only StackFiles' own words are shown: a YAML error's message may quote the file
            String why = OWN_WORDS.stream().anyMatch(p.message()::startsWith) ? p.message()
                    : "is not valid YAML" + (p.line() > 0 ? " (line " + p.line() + ")" : "") + "; see kiban stack lint";
            unreadable.add(new Unreadable(stack, p.file(), why));
        }
        return new Tree(stacks, unreadable);
    }

    static Map<String, Declared> services(SpecNode tree) {
        Map<String, Declared> out = new TreeMap<>();
        if (!(tree instanceof SpecNode.Mapping root) || !(root.get("services") instanceof SpecNode.Mapping all)) {
            return out;
        }
        all.entries().forEach((name, e) -> {
            SpecNode.Mapping svc = e.value() instanceof SpecNode.Mapping m ? m : null;
            String image = svc != null && svc.get("image") instanceof SpecNode.Scalar s ? s.text() : "";
            SpecNode.Mapping deploy = svc != null && svc.get("deploy") instanceof SpecNode.Mapping d ? d : null;
            boolean global = deploy != null && deploy.get("mode") instanceof SpecNode.Scalar m
                    && m.text().equals("global");
            int replicas = 1;
            if (deploy != null && deploy.get("replicas") instanceof SpecNode.Scalar r) {
                replicas = r.text().matches("[0-9]{1,6}") ? Integer.parseInt(r.text()) : -1;
            }
            out.put(name, new Declared(image, global, replicas));
        });
        return out;
    }

    /** The drift between the tree and the engine's services (none of which is read here). */
    static List<Finding> compare(Tree tree, List<ServiceSummary> services) {
        Map<String, Map<String, ServiceSummary>> deployed = new TreeMap<>();
        for (ServiceSummary s : services) {
            String stack = s.labels().getOrDefault(StackRollout.NAMESPACE_LABEL, StacksPage.stack(s.name()));
            if (stack.isEmpty()) continue; // a service not made by a stack has no compose file to drift from
            String name = s.name().startsWith(stack + "_") ? s.name().substring(stack.length() + 1) : s.name();
            deployed.computeIfAbsent(stack, k -> new TreeMap<>()).put(name, s);
        }
        List<Finding> out = new ArrayList<>();
        Set<String> known = new TreeSet<>();
        for (Unreadable u : tree.unreadable()) {
            known.add(u.stack());
            out.add(new Finding(u.stack(), "", "unreadable", u.file() + " " + u.why(), ""));
        }
        for (Stack st : tree.stacks()) {
            known.add(st.name());
            Map<String, ServiceSummary> running = deployed.getOrDefault(st.name(), Map.of());
            if (running.isEmpty()) {
                out.add(new Finding(st.name(), "", "not deployed", st.file(), "no service of this stack"));
                continue;
            }
            Map<String, Declared> declared = st.services();
            for (var e : declared.entrySet()) {
                ServiceSummary s = running.get(e.getKey());
                Declared d = e.getValue();
                if (s == null) {
                    out.add(new Finding(st.name(), e.getKey(), "missing", "declared", "no such service"));
                    continue;
                }
                if (!d.image().isEmpty() && !d.image().contains("$") && !sameImage(d.image(), s.image())) {
                    out.add(new Finding(st.name(), e.getKey(), "image", d.image(), s.image()));
                }
                if (d.global() != s.global()) {
                    out.add(new Finding(st.name(), e.getKey(), "mode", d.global() ? "global" : "replicated",
                            s.global() ? "global" : "replicated"));
                } else if (!d.global() && d.replicas() >= 0 && d.replicas() != s.replicas()) {
                    out.add(new Finding(st.name(), e.getKey(), "replicas", Integer.toString(d.replicas()),
                            Integer.toString(s.replicas())));
                }
            }
            running.keySet().stream().filter(n -> !declared.containsKey(n)).forEach(n ->
                    out.add(new Finding(st.name(), n, "not in compose", "no such service", running.get(n).image())));
        }
        deployed.keySet().stream().filter(s -> !known.contains(s)).forEach(s ->
                out.add(new Finding(s, "", "no compose file", "none in the compose tree",
                        deployed.get(s).size() + " service" + (deployed.get(s).size() == 1 ? "" : "s"))));
        return out;
    }

    /**
     * Whether the service runs the image compose names: {@code docker stack deploy} pins the tag's digest
     * ({@code nginx:1.27@sha256:...}), so the digest counts only when compose names one; no tag is {@code :latest}.
     */
    static boolean sameImage(String compose, String running) {
        String c = normal(compose);
        String r = normal(running);
        if (c.contains("@")) return c.equals(r) || digest(c).equals(digest(r));
        int at = r.indexOf('@');
        return c.equals(at < 0 ? r : r.substring(0, at));
    }

    private static String digest(String image) {
        int at = image.indexOf('@');
        return at < 0 ? image : image.substring(at + 1);
    }

    private static String normal(String image) {
        String s = image.strip();
        if (s.startsWith("docker.io/")) s = s.substring("docker.io/".length());
        if (s.startsWith("library/")) s = s.substring("library/".length());
        int at = s.indexOf('@');
        String name = at < 0 ? s : s.substring(0, at);
        String rest = at < 0 ? "" : s.substring(at);
        int slash = name.lastIndexOf('/');
        if (name.indexOf(':', slash + 1) < 0 && rest.isEmpty()) name = name + ":latest";
        return name + rest;
    }

    /** The findings as a table, every text escaped. */
    static String render(List<Finding> findings) {
        List<List<String>> rows = new ArrayList<>();
        for (Finding f : findings) {
            rows.add(List.of(Html.escape(f.stack()), Html.escape(f.service()), Html.state(f.kind(), true),
                    Html.escape(f.compose()), Html.escape(f.engine())));
        }
        return Html.table(List.of("stack", "service", "drift", "compose file", "engine"), rows,
                "No drift: every stack of the compose tree runs as its file says.");
    }
}
