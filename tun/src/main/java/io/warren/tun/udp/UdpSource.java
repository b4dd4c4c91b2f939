package io.warren.tun.udp;

import java.net.InetSocketAddress;

/**
 * The source of the datagram being handled, as {@link UdpReceiveBatch} read it off the socket: a
 * mutable holder of plain numbers (see {@link UdpEndpoint} for the key), refilled for every
 * datagram by the receiving thread, so that the steady state (data from a peer's known endpoint)
 * compares with {@link #matches} and allocates nothing. {@link #endpoint()} builds the
 * {@link InetSocketAddress} only when needed, and keeps the latest one: a run of datagrams from one
 * source builds it once. Confined to one thread.
 */
public final class UdpSource {
    private long hi;
    private long lo;
    private int port;
    private int scope;
    private UdpEndpoint last;

    /** An empty holder for a receive loop. */
    public UdpSource() {
    }

    /** A holder already set to {@code address} (tests, and callers that start from an address). */
    public static UdpSource of(InetSocketAddress address) {
        UdpSource s = new UdpSource();
        UdpEndpoint e = UdpEndpoint.of(address);
        s.set(e.hi, e.lo, e.port, e.scope);
        s.last = e;
        return s;
    }

    void set(long hi, long lo, int port, int scope) {
        this.hi = hi;
        this.lo = lo;
        this.port = port;
        this.scope = scope;
    }

    /** Whether the datagram came from {@code endpoint} (false for null). Allocation-free. */
    public boolean matches(UdpEndpoint endpoint) {
        return endpoint != null && endpoint.sameKey(hi, lo, port, scope);
    }

    /**
     * Whether the datagram came from {@code endpoint}'s address, whatever its port (false for
     * null): for protocols whose source port is only flow entropy. Allocation-free.
     */
    public boolean sameAddress(UdpEndpoint endpoint) {
        return endpoint != null && endpoint.sameAddress(hi, lo, scope);
    }

    /** The source as an endpoint: the latest one built when it is the same, else a new one. */
    public UdpEndpoint endpoint() {
        UdpEndpoint e = last;
        if (!matches(e)) {
            e = UdpEndpoint.of(hi, lo, port, scope);
            last = e;
        }
        return e;
    }

    /** The source as a socket address (see {@link #endpoint()}). */
    public InetSocketAddress address() {
        return endpoint().address();
    }

    public int port() {
        return port;
    }

    /** True for an IPv4 source (also when it reached a dual-stack socket as {@code ::ffff:a.b.c.d}). */
    public boolean isIpv4() {
        return hi == 0 && (lo >>> 32) == 0xffff;
    }

    @Override
    public String toString() {
        return address().toString();
    }
}
