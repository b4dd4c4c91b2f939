package io.warren.gateway.config;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;

/**
 * An IPv4 or IPv6 address with a prefix length, e.g. {@code 10.0.0.1/24} or {@code fd00::/64}.
 * Host bits are kept as written (an interface address needs them); {@link #network()} clears them.
 *
 * @param address the address as written
 * @param length  prefix length, 0..32 for IPv4, 0..128 for IPv6
 */
public record IpPrefix(InetAddress address, int length) implements Comparable<IpPrefix> {

    private static final Comparator<IpPrefix> ORDER = Comparator
            .comparingInt((IpPrefix p) -> p.address.getAddress().length)
            .thenComparing(p -> IpAddresses.toNumber(p.address))
            .thenComparingInt(IpPrefix::length);

    public IpPrefix {
        Objects.requireNonNull(address, "address");
        if (length < 0 || length > bits(address)) {
            throw new IllegalArgumentException("prefix length " + length + " out of range");
        }
    }

    /**
     * Parses {@code ADDRESS/LENGTH}; a bare address means a host prefix (/32 or /128), as in wg(8).
     */
    public static Optional<IpPrefix> parse(String text) {
        String s = text.strip();
        int slash = s.indexOf('/');
        String addr = slash < 0 ? s : s.substring(0, slash);
        Optional<InetAddress> a = IpAddresses.parse(addr);
        if (a.isEmpty()) {
            return Optional.empty();
        }
        int max = bits(a.get());
        if (slash < 0) {
            return Optional.of(new IpPrefix(a.get(), max));
        }
        String len = s.substring(slash + 1);
        if (!len.matches("\\d{1,3}")) {
            return Optional.empty();
        }
        int n = Integer.parseInt(len);
        return n <= max ? Optional.of(new IpPrefix(a.get(), n)) : Optional.empty();
    }

    /** True for IPv4. */
    public boolean isV4() {
        return address instanceof Inet4Address;
    }

    /** The prefix with host bits cleared. */
    public IpPrefix network() {
        byte[] b = address.getAddress();
        for (int i = 0; i < b.length; i++) {
            int keep = Math.max(0, Math.min(8, length - i * 8));
            b[i] &= (byte) (0xff << (8 - keep));
        }
        try {
            return new IpPrefix(InetAddress.getByAddress(b), length);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException("address of valid length rejected", impossible);
        }
    }

    /** True if the host bits are all zero (a network, not an interface address). */
    public boolean isNetwork() {
        return network().address.equals(address);
    }

    /** True if {@code a} is inside this prefix. */
    public boolean contains(InetAddress a) {
        if (a.getAddress().length != address.getAddress().length) {
            return false;
        }
        return new IpPrefix(a, length).network().equals(network());
    }

    /** True if {@code other} is entirely inside this prefix. */
    public boolean contains(IpPrefix other) {
        return other.length >= length && contains(other.address);
    }

    /** True if the two prefixes share at least one address. */
    public boolean overlaps(IpPrefix other) {
        return contains(other) || other.contains(this);
    }

    /** The last address of the prefix (broadcast for IPv4). */
    public BigInteger lastNumber() {
        int hostBits = bits(address) - length;
        return IpAddresses.toNumber(network().address).add(BigInteger.ONE.shiftLeft(hostBits)).subtract(BigInteger.ONE);
    }

    private static int bits(InetAddress a) {
        return a.getAddress().length * 8;
    }

    @Override
    public int compareTo(IpPrefix o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        return address.getHostAddress() + "/" + length;
    }
}
