package dev.kiban.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The weekly image clean-up (R9.1), planned from what the engine holds: an image goes when nothing uses it and it
 * was built longer ago than the spec's age, dangling (untagged) or not. Unlike {@code docker image prune -a}
 * (D9) it keeps every image a container was made from — running or stopped, since a stopped stack needs its
 * images to start again — and every image a Swarm service names, by tag or by digest, whether or not a task of
 * it runs here; an image whose build time the engine does not give is kept too. Volumes are not its business:
 * it never touches one. Pure: the command gathers, prints this plan, and only then removes.
 */
public record ImagePrune(List<Removal> removals, List<Kept> kept) {

    /** An image to remove, by the references that remove it (its tags, or its id when it has none), and why. */
    public record Removal(EngineObjects.Image image, List<String> references, String why) {}

    /** An image kept, and why. */
    public record Kept(EngineObjects.Image image, String why) {}

    /**
     * The plan: {@code objects} as {@link Engine#auditObjects()} gives them (its images, and the images every
     * container was made from), {@code serviceImages} the image each Swarm service's spec names (any stack's),
     * {@code olderThan} the spec's {@code maintenance.images.olderThan}. Empty {@code serviceImages} means they
     * could not be read (a Swarm worker cannot list the services): then every image with a name — a tag or a
     * digest a service could name it by — is kept, and only nameless ones may go.
     */
    public static ImagePrune plan(EngineObjects objects, java.util.Optional<List<String>> serviceImages, Instant now,
                                  Duration olderThan) {
        List<Removal> removals = new ArrayList<>();
        List<Kept> kept = new ArrayList<>();
        for (EngineObjects.Image image : objects.images()) {
            List<String> tags = tags(image);
            if (objects.imagesInUse().contains(image.id())) {
                kept.add(new Kept(image, "a container (running or stopped) was made from it"));
                continue;
            }
            if (serviceImages.isEmpty() && !(tags.isEmpty() && image.digests().isEmpty())) {
                kept.add(new Kept(image, "a Swarm worker cannot read the services, one of which may name it"));
                continue;
            }
            List<String> naming = serviceImages.orElse(List.of()).stream().filter(ref -> names(ref, image, tags))
                    .toList();
            if (!naming.isEmpty()) {
                kept.add(new Kept(image, "a Swarm service uses it (" + String.join(", ", new TreeSet<>(naming))
                        + ")"));
                continue;
            }
            if (image.created().equals(Instant.EPOCH)) {
                kept.add(new Kept(image, "the engine gives no build time"));
                continue;
            }
            Duration age = Duration.between(image.created(), now);
            if (age.compareTo(olderThan) < 0) {
                kept.add(new Kept(image, "built " + days(age) + " ago, younger than " + days(olderThan)));
                continue;
            }
            String kind = tags.isEmpty() ? "dangling" : "unused";
            removals.add(new Removal(image, tags.isEmpty() ? List.of(image.id()) : tags,
                    kind + ", built " + days(age) + " ago"));
        }
        return new ImagePrune(List.copyOf(removals), List.copyOf(kept));
    }

    /** The image's real tags: the engine lists {@code <none>:<none>} for an untagged one on older versions. */
    static List<String> tags(EngineObjects.Image image) {
        return image.tags().stream().filter(t -> !t.equals("<none>:<none>") && !t.isBlank()).toList();
    }

    /**
     * Whether a service's image reference names this image: its digest among the image's repository digests, its
     * id, or its tag (Docker Hub's {@code docker.io/library/} and {@code :latest} implied) among the image's tags.
     */
    static boolean names(String reference, EngineObjects.Image image, List<String> tags) {
        String ref = reference.strip();
        if (ref.isEmpty()) return false;
        if (ref.equals(image.id()) || ("sha256:" + ref).equals(image.id())) return true;
        int at = ref.indexOf("@sha256:");
        if (at >= 0) {
            String digest = ref.substring(at + 1).toLowerCase(Locale.ROOT);
            if (image.digests().stream().anyMatch(d -> d.toLowerCase(Locale.ROOT).endsWith("@" + digest))) return true;
            ref = ref.substring(0, at);
        }
        String wanted = normal(ref);
        return tags.stream().anyMatch(t -> normal(t).equals(wanted));
    }

    /** {@code nginx}, {@code docker.io/library/nginx:latest} and {@code nginx:latest} alike. */
    static String normal(String ref) {
        String r = ref;
        int slash = r.lastIndexOf('/');
        if (r.indexOf(':', slash + 1) < 0) r = r + ":latest";
        if (r.startsWith("docker.io/")) r = r.substring("docker.io/".length());
        if (r.startsWith("index.docker.io/")) r = r.substring("index.docker.io/".length());
        if (r.startsWith("library/")) r = r.substring("library/".length());
        return r;
    }

    /** Whole days, or hours under two days. */
    static String days(Duration d) {
        return d.toDays() >= 2 ? d.toDays() + " days" : d.toHours() + " hours";
    }

    /** Every image the plan removes, by id. */
    public Set<String> removedIds() {
        Set<String> out = new TreeSet<>();
        removals.forEach(r -> out.add(r.image().id()));
        return out;
    }
}
