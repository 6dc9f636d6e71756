package dev.kiban.cli;

import picocli.CommandLine.Command;

@Command(name = "backup", mixinStandardHelpOptions = true,
        header = "Back up and restore volumes, images, compose files and Swarm state (R5).",
        subcommands = {BackupRunCommand.class, BackupListCommand.class, BackupShowCommand.class,
            BackupDiffCommand.class, BackupVerifyCommand.class, BackupCopyCommand.class,
            BackupRestoreCommand.class, BackupPruneCommand.class, BackupRepairCommand.class},
        description = {"A deduplicated, compressed, hash-checked backup repository (default: the spec's "
                + "backup.repository).", ""})
final class BackupCommand extends CommandGroup {
}
