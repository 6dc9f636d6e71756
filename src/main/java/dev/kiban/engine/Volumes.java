package dev.kiban.engine;

import java.util.List;

/** The engine's named volumes. */
public interface Volumes {

    /** Every named volume. */
    List<VolumeSummary> volumes();

    int volumeCount();
}
