package dev.kiban.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

@Command(name = "kiban",
        mixinStandardHelpOptions = true,
        versionProvider = KibanVersion.class,
        description = {
            "kiban (基盤, \"foundation\") takes a Linux host from bare OS to a production Docker platform "
                    + "and keeps it healthy, from one declarative spec (kiban.yaml).",
            "",
            "Start with:",
            "  kiban spec init         write the design as a commented kiban.yaml",
            "  kiban spec validate     every problem at once: FILE:LINE:COL key: message",
            "  kiban plan / apply      host configuration: diff, then write with checks",
            "  kiban swarm init        the swarm, its networks overlapping nothing",
            "  kiban swarm join/apply  more nodes, as swarm.nodes lists them; kiban node drain",
            "  kiban stack deploy      a compose stack, linted, followed to convergence",
            "  kiban backup run        volumes, images, compose, Swarm state: deduplicated, checked",
            "  kiban monitor / alert   metrics, alerts to Discord and mail that never get lost",
            "  kiban verify            the design's test strategy, check by check",
            "  kiban status / doctor   what runs, and why something does not",
            "  kiban docs --out DIR    the procedures (3.1-3.4, upgrade, recovery) from the spec",
            ""},
        footer = {"", "The spec is -c FILE, else ./kiban.yaml, else /etc/kiban/kiban.yaml; -c builtin uses the "
                + "design's defaults."})
public final class KibanCommand extends CommandGroup {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "Spec file. Default: ./kiban.yaml, then /etc/kiban/kiban.yaml. 'builtin' = the design's "
                    + "defaults.")
    String config;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Show stack traces of unexpected errors.")
    boolean verbose;
}
