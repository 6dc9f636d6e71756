package dev.kiban.os;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The host's primary IPv4 address: the one on the interface of the default route, as
 * {@code docker swarm init} picks it, else the first address of an interface that is up.
 */
public final class PrimaryAddress {
    private PrimaryAddress() {}

    public static Optional<String> find() {
        try {
            Optional<String> viaRoute = defaultRouteInterface(Files.readAllLines(Path.of("/proc/net/route")))
                    .flatMap(PrimaryAddress::ipv4Of);
            if (viaRoute.isPresent()) return viaRoute;
        } catch (IOException e) {
            // no /proc/net/route (not Linux, or a restricted container): fall through
        }
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback() || HostNetworks.dockersOrLibvirts(nic.getName())) continue;
                Optional<String> a = ipv4Of(nic.getName());
                if (a.isPresent()) return a;
            }
        } catch (SocketException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** The interface named on the default route (destination 00000000) of a {@code /proc/net/route} listing. */
    static Optional<String> defaultRouteInterface(List<String> routeTable) {
        return routeTable.stream().skip(1).map(l -> l.trim().split("\\s+"))
                .filter(f -> f.length > 2 && f[1].equals("00000000"))
                .map(f -> f[0]).findFirst();
    }

    private static Optional<String> ipv4Of(String nicName) {
        try {
            NetworkInterface nic = NetworkInterface.getByName(nicName);
            if (nic == null) return Optional.empty();
            for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress()) return Optional.of(a.getHostAddress());
            }
        } catch (SocketException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
