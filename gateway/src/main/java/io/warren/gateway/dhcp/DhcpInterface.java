package io.warren.gateway.dhcp;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.Optional;

/**
 * A kernel interface the server listens on.
 *
 * @param configName the name pools use ({@code DhcpPoolConfig.iface})
 * @param osName     the kernel's interface name
 * @param address    our IPv4 address there: the server identifier
 */
public record DhcpInterface(String configName, String osName, Inet4Address address) {

    /** Maps a pool's interface name to a kernel interface. */
    @FunctionalInterface
    public interface Resolver {
        /** The interface for {@code configName}, or empty if it does not exist (yet). */
        Optional<DhcpInterface> resolve(String configName) throws SocketException;
    }

    /**
     * The default resolver: the config name is the kernel name, the address its first IPv4 address.
     * Looks in the calling thread's network namespace.
     */
    public static Optional<DhcpInterface> byKernelName(String name) throws SocketException {
        NetworkInterface ni = NetworkInterface.getByName(name);
        if (ni == null) {
            return Optional.empty();
        }
        for (InetAddress a : Collections.list(ni.getInetAddresses())) {
            if (a instanceof Inet4Address v4) {
                return Optional.of(new DhcpInterface(name, name, v4));
            }
        }
        return Optional.empty();
    }
}
