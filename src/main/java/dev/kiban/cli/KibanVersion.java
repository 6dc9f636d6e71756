package dev.kiban.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import picocli.CommandLine.IVersionProvider;

/** What {@code kiban --version} prints: the version and commit the build wrote into kiban.jar's manifest. */
final class KibanVersion implements IVersionProvider {
    static final String COMMIT = "Kiban-Commit";

    @Override
    public String[] getVersion() {
        return lines(ownManifest().map(Manifest::getMainAttributes).orElseGet(Attributes::new));
    }

    static String[] lines(Attributes manifest) {
        Optional<String> version = entry(manifest, Attributes.Name.IMPLEMENTATION_VERSION.toString());
        Optional<String> commit = entry(manifest, COMMIT);
        String kiban = version.map(v -> "kiban " + v + commit.map(c -> " (commit " + c + ")").orElse(""))
                .orElse("kiban (development build)");
        return new String[] {kiban, "Java " + Runtime.version()};
    }

    /** A build without .git leaves the commit's property unexpanded: that names no commit. */
    private static Optional<String> entry(Attributes manifest, String name) {
        return Optional.ofNullable(manifest.getValue(name)).map(String::strip)
                .filter(v -> !v.isEmpty() && !v.contains("${"));
    }

    /**
     * The manifest of the jar this class came from, not the first one on the class path (a test's class
     * path holds many); empty when the classes are a directory, as in the build's own tests.
     */
    private static Optional<Manifest> ownManifest() {
        URL self = KibanVersion.class.getResource(KibanVersion.class.getSimpleName() + ".class");
        if (self == null || !"jar".equals(self.getProtocol())) return Optional.empty();
        String jar = self.toString();
        try (InputStream in = new URL(jar.substring(0, jar.indexOf("!/") + 2) + "META-INF/MANIFEST.MF").openStream()) {
            return Optional.of(new Manifest(in));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
