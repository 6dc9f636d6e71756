package dev.kiban.os;

import dev.kiban.spec.Cidr;
import java.net.Inet4Address;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The IPv4 networks this host is on, by interface: the ones a Docker network must not overlap, or the
 * host would route its own neighbours (its gateway among them) into the bridge. Docker's and libvirt's own
 * interfaces (docker0, docker_gwbridge, br-*, veth*, virbr*) are left out: they are what the spec places.
 */
public final class HostNetworks {
    /** One network of the host: the interface and the network its address is in. */
    public record OnInterface(String name, Cidr network) {}

    private HostNetworks() {}

    public static List<OnInterface> system() {
        List<OnInterface> out = new ArrayList<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback() || dockersOrLibvirts(nic.getName())) continue;
                for (InterfaceAddress a : nic.getInterfaceAddresses()) {
                    if (!(a.getAddress() instanceof Inet4Address v4)) continue;
                    out.add(new OnInterface(nic.getName(), networkOf(v4.getAddress(), a.getNetworkPrefixLength())));
                }
            }
        } catch (SocketException e) {
            return List.of(); // nothing known: nothing to refuse on
        }
        return List.copyOf(out);
    }

    static boolean dockersOrLibvirts(String name) {
        return name.startsWith("docker") || name.startsWith("br-") || name.startsWith("veth")
                || name.startsWith("virbr");
    }

    static Cidr networkOf(byte[] address, int prefix) {
        long a = ((address[0] & 0xFFL) << 24) | ((address[1] & 0xFFL) << 16) | ((address[2] & 0xFFL) << 8)
                | (address[3] & 0xFFL);
        long mask = prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
        return new Cidr(a & mask, prefix);
    }
}
