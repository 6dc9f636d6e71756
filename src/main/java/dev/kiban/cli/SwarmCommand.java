package dev.kiban.cli;

import picocli.CommandLine.Command;

@Command(name = "swarm", mixinStandardHelpOptions = true,
        header = "Initialise and inspect the swarm.",
        subcommands = {SwarmInitCommand.class, SwarmStatusCommand.class, SwarmJoinTokenCommand.class},
        description = {"Docker Swarm as the spec declares it: a single manager whose networks overlap nothing (R8).",
                ""})
final class SwarmCommand extends CommandGroup {
}
