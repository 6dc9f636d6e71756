package dev.kiban.backup;

import dev.kiban.engine.VolumeSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What "volumes" means for a backup (R5.1): every directory of the spec's bind-mount volume tree, and
 * every named volume of the engine whose data is on this host. A named volume bound into the tree
 * (R4.3: driver_opts device under the tree) is backed up once, under its tree directory.
 */
public final class VolumeSources {
    private VolumeSources() {}

    public static List<BackupRepository.Source> of(Path volumeTree,
            List<VolumeSummary> engineVolumes) throws IOException {
        Map<Path, BackupRepository.Source> out = new LinkedHashMap<>();
        if (Files.isDirectory(volumeTree)) {
            try (Stream<Path> dirs = Files.list(volumeTree)) {
                // a restore killed before its swap leaves its private directory: not a volume
                for (Path d : dirs.filter(Files::isDirectory).filter(d -> !SafeRestore.isWorkDirectory(d)).sorted()
                        .toList()) {
                    out.put(d.toAbsolutePath().normalize(),
                            new BackupRepository.Source("volume:" + d.getFileName(), d));
                }
            }
        }
        List<BackupRepository.Source> named = new ArrayList<>();
        for (VolumeSummary v : engineVolumes) {
            if (!v.driver().equals("local")) continue; // remote drivers keep their data elsewhere
            String device = v.options().getOrDefault("device", "");
            Path data = Path.of(device.isEmpty() ? v.mountpoint() : device).toAbsolutePath().normalize();
            if (out.containsKey(data) || !Files.isDirectory(data)) continue;
            named.add(new BackupRepository.Source("volume:" + v.name(), data));
        }
        List<BackupRepository.Source> all = new ArrayList<>(out.values());
        all.addAll(named);
        return all;
    }
}
