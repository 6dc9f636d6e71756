package dev.kiban.os;

import dev.kiban.spec.PlatformSpec.Family;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** {@code /etc/os-release}, and the family kiban renders for (R1.1). */
public record OsRelease(Map<String, String> fields) {

    /** Reads {@code <root>/etc/os-release} (then {@code <root>/usr/lib/os-release}); empty when neither exists. */
    public static Optional<OsRelease> read(Path root) throws IOException {
        for (String candidate : List.of("etc/os-release", "usr/lib/os-release")) {
            Path file = root.resolve(candidate);
            if (Files.isRegularFile(file)) return Optional.of(parse(Files.readString(file)));
        }
        return Optional.empty();
    }

    public static OsRelease parse(String text) {
        Map<String, String> fields = new HashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (line.isBlank() || line.startsWith("#") || eq < 0) continue;
            String value = line.substring(eq + 1).trim();
            if (value.length() >= 2 && (value.startsWith("\"") || value.startsWith("'"))) value = value.substring(1,
                    value.length() - 1);
            fields.put(line.substring(0, eq).trim(), value);
        }
        return new OsRelease(Map.copyOf(fields));
    }

    /** rhel for Rocky, Alma, CentOS, RHEL and Fedora; debian for Debian and Ubuntu; empty otherwise. */
    public Optional<Family> family() {
        List<String> ids = new java.util.ArrayList<>();
        ids.add(fields.getOrDefault("ID", "").toLowerCase(Locale.ROOT));
        ids.addAll(Arrays.asList(fields.getOrDefault("ID_LIKE", "").toLowerCase(Locale.ROOT).split("\\s+")));
        for (String id : ids) {
            if (List.of("rhel", "rocky", "almalinux", "centos", "fedora").contains(id)) return Optional.of(Family.RHEL);
            if (List.of("debian", "ubuntu").contains(id)) return Optional.of(Family.DEBIAN);
        }
        return Optional.empty();
    }

    /**
     * Whether the distribution's own packages carry Compose v2, and under which name: Debian 13
     * ({@code docker-compose}, with the client split out as {@code docker-cli}) and Ubuntu 24.04
     * ({@code docker-compose-v2}). Empty for older releases, which package Compose v1 only.
     */
    public List<String> composeV2Packages() {
        String id = fields.getOrDefault("ID", "").toLowerCase(Locale.ROOT);
        double version;
        try {
            version = Double.parseDouble(fields.getOrDefault("VERSION_ID", ""));
        } catch (NumberFormatException e) {
            return List.of();
        }
        if (id.equals("debian") && version >= 13) return List.of("docker-cli", "docker-compose");
        if (id.equals("ubuntu") && version >= 24.04) return List.of("docker-compose-v2");
        return List.of();
    }

    public String prettyName() {
        return fields.getOrDefault("PRETTY_NAME", fields.getOrDefault("ID", "unknown"));
    }
}
