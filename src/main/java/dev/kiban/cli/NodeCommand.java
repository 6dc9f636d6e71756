package dev.kiban.cli;

import picocli.CommandLine.Command;

@Command(name = "node", mixinStandardHelpOptions = true,
        header = "Drain, activate and remove swarm nodes.",
        subcommands = {NodeDrainCommand.class, NodeActivateCommand.class, NodeRmCommand.class},
        description = {"A swarm node's availability, changed on a manager and followed until the tasks have moved "
                + "(R8.3). The spec's availability is applied by 'kiban swarm apply'; these are for maintenance.", ""})
final class NodeCommand extends CommandGroup {
}
