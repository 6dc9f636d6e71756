package dev.kiban.backup;

import java.io.IOException;

/** A stored chunk does not hold what its id says: the repository is damaged there. */
public class CorruptChunkException extends IOException {
    private final String chunk;

    public CorruptChunkException(String chunk, String why) {
        super("chunk " + chunk + " is damaged: " + why);
        this.chunk = chunk;
    }

    public String chunk() {
        return chunk;
    }
}
