package dev.kiban.spec;

/** A closed interval of IPv4 addresses; what the overlap rules compare. */
public record AddressRange(long first, long last) {
    public boolean overlaps(AddressRange other) {
        return first <= other.last && other.first <= last;
    }

    @Override
    public String toString() {
        return Ipv4.format(first) + "-" + Ipv4.format(last);
    }
}
