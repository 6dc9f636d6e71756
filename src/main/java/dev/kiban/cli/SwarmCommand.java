package dev.kiban.cli;

import picocli.CommandLine.Command;

@Command(name = "swarm", mixinStandardHelpOptions = true,
        header = "Initialise and inspect the swarm.",
        subcommands = {SwarmInitCommand.class, SwarmStatusCommand.class, SwarmJoinTokenCommand.class},
        description = {"Docker Swarm as the spec declares it (R8): a single manager whose networks overlap nothing.", ""})
final class SwarmCommand extends CommandGroup {
}
