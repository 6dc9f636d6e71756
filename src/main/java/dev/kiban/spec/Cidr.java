package dev.kiban.spec;

/** An IPv4 network such as {@code 10.0.255.0/24}; the address must be the network's first address. */
public record Cidr(long network, int prefix) {

    public static Cidr parse(String text) {
        String t = text.trim();
        int slash = t.indexOf('/');
        if (slash < 0) throw new IllegalArgumentException("expected a CIDR like 172.19.0.0/16, got \"" + text + "\"");
        long address = Ipv4.parse(t.substring(0, slash));
        String bits = t.substring(slash + 1);
        if (!bits.matches("\\d{1,2}") || Integer.parseInt(bits) > 32) {
            throw new IllegalArgumentException("prefix length must be 0 to 32 in \"" + text + "\"");
        }
        int prefix = Integer.parseInt(bits);
        long mask = mask(prefix);
        if ((address & mask) != address) {
            throw new IllegalArgumentException("\"" + text + "\" has host bits set; the network is "
                    + Ipv4.format(address & mask) + "/" + prefix);
        }
        return new Cidr(address, prefix);
    }

    private static long mask(int prefix) {
        return prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
    }

    public long first() {
        return network;
    }

    public long last() {
        return network | (~mask(prefix) & 0xFFFFFFFFL);
    }

    public AddressRange range() {
        return new AddressRange(first(), last());
    }

    /** Whether the two networks share an address. */
    public boolean overlaps(Cidr other) {
        return first() <= other.last() && other.first() <= last();
    }

    public boolean contains(long address) {
        return address >= first() && address <= last();
    }

    @Override
    public String toString() {
        return Ipv4.format(network) + "/" + prefix;
    }
}
