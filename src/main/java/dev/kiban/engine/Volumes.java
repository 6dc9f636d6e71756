package dev.kiban.engine;

import java.util.List;

/** The engine's named volumes. */
public interface Volumes {

    /** Every named volume. */
    List<VolumeSummary> volumes();

    int volumeCount();

    /** Creates a local named volume with these labels (restore-all: before its data goes back); its summary. */
    VolumeSummary createVolume(String name, java.util.Map<String, String> labels);
}
