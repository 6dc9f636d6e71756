package dev.kiban.cli;

import picocli.CommandLine.Command;

@Command(name = "swarm", mixinStandardHelpOptions = true,
        header = "Initialise, join, inspect and shape the swarm.",
        subcommands = {SwarmInitCommand.class, SwarmStatusCommand.class, SwarmJoinTokenCommand.class,
                SwarmJoinCommand.class, SwarmApplyCommand.class, SwarmLeaveCommand.class},
        description = {"Docker Swarm as the spec declares it: a first manager whose networks overlap nothing (R8), "
                + "and the nodes of swarm.nodes joined, promoted and labelled as it says (R8.3).",
                ""})
final class SwarmCommand extends CommandGroup {
}
