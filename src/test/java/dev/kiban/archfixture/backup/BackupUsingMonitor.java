package dev.kiban.archfixture.backup;

import dev.kiban.archfixture.monitor.Monitor;

/** Forbidden: one capability uses another. */
public class BackupUsingMonitor {
    Monitor monitor;
}
