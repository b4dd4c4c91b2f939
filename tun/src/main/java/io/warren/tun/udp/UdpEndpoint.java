package io.warren.tun.udp;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * A UDP endpoint in two forms: the {@link InetSocketAddress} the rest of the program uses, and a
 * key of plain numbers that a received datagram's source ({@link UdpSource}) is compared with
 * without allocating. The key is the address as 128 bits (IPv4 as IPv4-mapped IPv6,
 * {@code ::ffff:a.b.c.d}, RFC 4291 §2.5.5.2, so a dual-stack socket's sources match IPv4
 * endpoints), the port, and the IPv6 scope id. Immutable.
 */
public final class UdpEndpoint {
    /** The low 64 bits of {@code ::ffff:0.0.0.0}. */
    static final long V4_MAPPED = 0xffffL << 32;

    final long hi;
    final long lo;
    /** The port, or -1 for an unresolved address (which no source matches). */
    final int port;
    final int scope;
    private final InetSocketAddress address;

    private UdpEndpoint(long hi, long lo, int port, int scope, InetSocketAddress address) {
        this.hi = hi;
        this.lo = lo;
        this.port = port;
        this.scope = scope;
        this.address = address;
    }

    /** The endpoint of {@code address}; an unresolved one is kept but matches no source. */
    public static UdpEndpoint of(InetSocketAddress address) {
        InetAddress a = address.getAddress();
        if (a instanceof Inet4Address) {
            return new UdpEndpoint(0, V4_MAPPED | (a.hashCode() & 0xffff_ffffL), address.getPort(), 0, address);
        }
        if (a instanceof Inet6Address v6) {
            byte[] b = v6.getAddress();
            return new UdpEndpoint(be64(b, 0), be64(b, 8), address.getPort(), v6.getScopeId(), address);
        }
        return new UdpEndpoint(0, 0, -1, 0, address);
    }

    /** Builds the socket address of a key read off the wire (IPv4-mapped becomes IPv4). */
    static UdpEndpoint of(long hi, long lo, int port, int scope) {
        InetAddress a;
        try {
            if (hi == 0 && (lo >>> 32) == 0xffff) {
                int v4 = (int) lo;
                a = InetAddress.getByAddress(new byte[] {(byte) (v4 >>> 24), (byte) (v4 >>> 16), (byte) (v4 >>> 8), (byte) v4});
            } else {
                byte[] b = new byte[16];
                for (int i = 0; i < 8; i++) {
                    b[i] = (byte) (hi >>> (56 - 8 * i));
                    b[8 + i] = (byte) (lo >>> (56 - 8 * i));
                }
                a = scope != 0 ? Inet6Address.getByAddress(null, b, scope) : InetAddress.getByAddress(b);
            }
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a 4- or 16-byte address is always valid", e);
        }
        return new UdpEndpoint(hi, lo, port, scope, new InetSocketAddress(a, port));
    }

    public InetSocketAddress address() {
        return address;
    }

    boolean sameAddress(long hi, long lo, int scope) {
        return this.lo == lo && this.hi == hi && this.scope == scope;
    }

    boolean sameKey(long hi, long lo, int port, int scope) {
        return this.lo == lo && this.port == port && this.hi == hi && this.scope == scope;
    }

    private static long be64(byte[] b, int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[at + i] & 0xff);
        }
        return v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UdpEndpoint e && e.port != -1 && e.sameKey(hi, lo, port, scope);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(hi * 31 + lo) * 31 + port;
    }

    @Override
    public String toString() {
        return address.toString();
    }
}
