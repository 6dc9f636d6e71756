package dev.kiban.backup;

import dev.kiban.engine.Engine;
import dev.kiban.engine.ImageSummary;
import java.util.ArrayList;
import java.util.List;

/**
 * Images as backup sources (R5.1, D4): one {@code docker save} archive per image, saved by all its tags
 * so {@code docker load} brings them back, or by id when it has none (digest-only and untagged images
 * too). An image whose id the previous snapshot already holds is not saved again; layers shared between
 * images deduplicate as chunks.
 */
public final class ImageSources {
    public static final String PREFIX = "image:";

    private ImageSources() {}

    public static List<BackupRepository.StreamSource> of(Engine engine) {
        List<BackupRepository.StreamSource> out = new ArrayList<>();
        for (ImageSummary image : engine.images()) {
            List<String> names = image.tags().isEmpty() ? List.of(image.id()) : image.tags();
            String shortId = image.id().replaceFirst("^sha256:", "").substring(0, 12);
            // Repo digests are the registry's names for the image; docker load cannot restore them, so they are noted
            // for the record.
            out.add(new BackupRepository.StreamSource(PREFIX + shortId, image.id(), () -> engine.saveImages(names),
                    java.util.Map.of("id", image.id(), "tags", String.join(",", image.tags()), "digests",
                            String.join(",", image.digests()))));
        }
        return out;
    }
}
