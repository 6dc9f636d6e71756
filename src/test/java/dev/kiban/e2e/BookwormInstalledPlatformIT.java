package dev.kiban.e2e;

/** The platform on Debian 12, where it differs: docker.io 20.10, Compose v1 only, older fail2ban and logwatch. */
class BookwormInstalledPlatformIT extends InstalledPlatform {
    BookwormInstalledPlatformIT() {
        super("bookworm", false);
    }
}
