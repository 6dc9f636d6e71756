package dev.kiban.archfixture.engine;

import dev.kiban.archfixture.backup.Backup;

/** Forbidden: the engine uses a capability above it. */
public class EngineUsingBackup {
    Backup backup;
}
