package dev.kiban.spec;

/** IPv4 addresses as unsigned 32-bit numbers, so ranges can be compared by arithmetic. */
final class Ipv4 {
    private Ipv4() {}

    static long parse(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) throw new IllegalArgumentException("\"" + text + "\" is not an IPv4 address");
        long value = 0;
        for (String p : parts) {
            if (!p.matches("\\d{1,3}")) throw new IllegalArgumentException("\"" + text + "\" is not an IPv4 address");
            int octet = Integer.parseInt(p);
            if (octet > 255) {
                throw new IllegalArgumentException("\"" + text + "\" is not an IPv4 address (octet " + octet
                        + " > 255)");
            }
            value = (value << 8) | octet;
        }
        return value;
    }

    static String format(long address) {
        return ((address >> 24) & 255) + "." + ((address >> 16) & 255) + "." + ((address >> 8) & 255) + "."
                + (address & 255);
    }
}
