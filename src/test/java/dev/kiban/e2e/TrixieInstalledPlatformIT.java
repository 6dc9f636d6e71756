package dev.kiban.e2e;

/** The platform on Debian 13: docker.io 26 and the distribution's Compose v2. */
class TrixieInstalledPlatformIT extends InstalledPlatform {
    TrixieInstalledPlatformIT() {
        super("trixie", true);
    }
}
