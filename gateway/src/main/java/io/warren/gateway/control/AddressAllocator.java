package io.warren.gateway.control;

import io.warren.gateway.config.InterfaceConfig;
import io.warren.gateway.config.IpAddresses;
import io.warren.gateway.config.IpPrefix;
import io.warren.gateway.config.PeerConfig;
import io.warren.gateway.config.WarrenConfig;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Picks a new client's tunnel address: the lowest host address of the interface's first IPv4
 * network that is not the network or broadcast address, not an address of the interface itself,
 * and not covered by any peer's allowed IPs (on any interface). Pure.
 */
public final class AddressAllocator {
    /** Scan at most this many candidates (a /16). */
    static final int MAX_SCAN = 1 << 16;

    private AddressAllocator() {
    }

    /** The next free address as a {@code /32}, or empty when the range is full or there is no IPv4 address. */
    public static Optional<IpPrefix> nextFree(WarrenConfig config, InterfaceConfig iface) {
        Optional<IpPrefix> range = iface.addresses().stream().filter(IpPrefix::isV4).findFirst();
        if (range.isEmpty()) {
            return Optional.empty();
        }
        IpPrefix net = range.get().network();
        List<IpPrefix> taken = new ArrayList<>();
        for (IpPrefix a : iface.addresses()) {
            taken.add(new IpPrefix(a.address(), a.isV4() ? 32 : 128));
        }
        for (InterfaceConfig ic : config.interfaces().values()) {
            for (PeerConfig p : ic.peers()) {
                taken.addAll(p.allowedIps());
            }
        }
        BigInteger first = IpAddresses.toNumber(net.address());
        BigInteger last = net.lastNumber();
        boolean hasBroadcast = net.length() <= 30;
        BigInteger from = hasBroadcast ? first.add(BigInteger.ONE) : first;
        BigInteger to = hasBroadcast ? last.subtract(BigInteger.ONE) : last;
        int scanned = 0;
        for (BigInteger n = from; n.compareTo(to) <= 0 && scanned < MAX_SCAN; n = n.add(BigInteger.ONE), scanned++) {
            InetAddress candidate = v4(n);
            if (taken.stream().noneMatch(t -> t.contains(candidate))) {
                return Optional.of(new IpPrefix(candidate, 32));
            }
        }
        return Optional.empty();
    }

    private static InetAddress v4(BigInteger n) {
        long v = n.longValue();
        byte[] b = {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
