package dev.kiban.engine;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the engine holds beyond its running containers, as an audit reads it: every local image with its
 * build time, the images any container (stopped ones too) was made from, how many containers are not
 * running, the overlay networks and whether each is encrypted, and — on a Swarm manager only — the
 * cluster's autolock setting and how many secrets it keeps.
 */
public record EngineObjects(List<Image> images, Set<String> imagesInUse, int stoppedContainers,
                            List<Overlay> overlays, Optional<Cluster> cluster) {

    /**
     * A local image: its id ({@code sha256:…}), tags, the repository digests it was pulled by, and when it
     * was built ({@link Instant#EPOCH} when the engine does not say; reproducible builds also set it so).
     */
    public record Image(String id, List<String> tags, List<String> digests, Instant created) {
        /** A name to show: its first tag, else its first digest, else its short id. */
        public String shown() {
            if (!tags.isEmpty()) return tags.get(0);
            if (!digests.isEmpty()) return digests.get(0);
            String hex = id.startsWith("sha256:") ? id.substring(7) : id;
            return "<untagged " + hex.substring(0, Math.min(12, hex.length())) + ">";
        }
    }

    /** An overlay network: its name, whether it is Swarm's routing mesh, whether its traffic is IPsec-encrypted. */
    public record Overlay(String name, boolean ingress, boolean encrypted) {}

    /** What a manager reads of the cluster: {@code Spec.EncryptionConfig.AutoLockManagers}, the number of secrets. */
    public record Cluster(boolean autolock, int secrets) {}
}
