package dev.kiban.cli;

import dev.kiban.os.OsRelease;
import dev.kiban.os.PrimaryAddress;
import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.PlatformSpec.Family;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;

/** The spec as the swarm commands need it: addresses decided for this host. */
final class SwarmSupport {
    private SwarmSupport() {}

    static PlatformSpec resolvedSpec(CommandSpec spec) throws IOException {
        Family family = OsRelease.read(Path.of("/")).flatMap(OsRelease::family).orElse(Family.AUTO);
        String address = PrimaryAddress.find().orElseThrow(() -> new dev.kiban.spec.SpecException(
                "swarm.advertiseAddress is auto but this host has no primary IPv4 address; set it in the spec"));
        return CommandSupport.spec(spec).require().resolved(family, address);
    }
}
