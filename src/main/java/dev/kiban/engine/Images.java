package dev.kiban.engine;

import java.io.InputStream;
import java.util.List;

/** The engine's local images, and moving them in and out as {@code docker save} archives. */
public interface Images {

    /** The top-level images: tagged, digest-only and untagged ones alike. */
    List<ImageSummary> images();

    /** Whether the engine has this image locally. */
    boolean hasImage(String image);

    /** {@code docker save} of these images (tags keep their names in the archive; an id saves the image untagged). */
    InputStream saveImages(List<String> names);

    /** {@code docker load} of an archive made by {@link #saveImages}. */
    void loadImages(InputStream archive);

    /**
     * {@code docker rmi} without force: a tag is untagged (the image goes with its last tag), an id removes an
     * untagged image. The engine refuses ({@link EngineConflictException}) while any container, stopped ones too,
     * was made from it; {@link EngineNotFoundException} when there is no such image.
     */
    void removeImage(String reference);
}
