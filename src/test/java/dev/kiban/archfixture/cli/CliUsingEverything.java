package dev.kiban.archfixture.cli;

import dev.kiban.archfixture.backup.Backup;
import dev.kiban.archfixture.engine.EngineUsingBackup;
import dev.kiban.archfixture.spec.SpecUsingCli;

/** Allowed: the cli may use every layer below it. */
public class CliUsingEverything {
    SpecUsingCli spec;
    EngineUsingBackup engine;
    Backup backup;
}
