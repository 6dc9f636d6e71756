package dev.kiban.cli;

import picocli.CommandLine.IVersionProvider;

final class KibanVersion implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = KibanVersion.class.getPackage().getImplementationVersion();
        return new String[] {"kiban " + (v == null ? "(development build)" : v), "Java " + Runtime.version()};
    }
}
