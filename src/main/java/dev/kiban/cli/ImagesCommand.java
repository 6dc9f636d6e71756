package dev.kiban.cli;

import picocli.CommandLine.Command;

@Command(name = "images", mixinStandardHelpOptions = true,
        header = "The engine's images: the weekly clean-up.",
        subcommands = {ImagesPruneCommand.class},
        description = {"Images live in the engine's data root on the SSD (R4.1); the weekly clean-up (R9.1) removes "
                + "what nothing uses, never what a stopped stack needs and never a volume (D9).", ""})
final class ImagesCommand extends CommandGroup {
}
