package dev.kiban.spec;

/** An IPv4 address, or {@code auto}: the host's primary address, found when the spec is used. */
public record HostAddress(String address) {
    public static final HostAddress AUTO = new HostAddress("auto");

    public static HostAddress parse(String text) {
        String t = text.trim();
        if (t.equals("auto")) return AUTO;
        Ipv4.parse(t);
        return new HostAddress(t);
    }

    public boolean isAuto() {
        return this.equals(AUTO);
    }

    public boolean isLoopback() {
        return !isAuto() && address.startsWith("127.");
    }

    @Override
    public String toString() {
        return address;
    }
}
