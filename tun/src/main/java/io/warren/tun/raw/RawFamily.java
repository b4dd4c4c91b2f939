package io.warren.tun.raw;

import java.net.Inet4Address;
import java.net.InetAddress;

/** The address family of a raw socket. */
public enum RawFamily {
    /** AF_INET: a received packet starts with its IPv4 header (raw(7)). */
    INET(RawWire.AF_INET, 4, RawWire.SOCKADDR_IN_SIZE),
    /** AF_INET6: a received packet starts after the IPv6 header and extension headers (raw(7), ipv6(7)). */
    INET6(RawWire.AF_INET6, 16, RawWire.SOCKADDR_IN6_SIZE);

    final int af;
    final int addressLength;
    final int sockaddrSize;

    RawFamily(int af, int addressLength, int sockaddrSize) {
        this.af = af;
        this.addressLength = addressLength;
        this.sockaddrSize = sockaddrSize;
    }

    /** 4 or 16. */
    public int addressLength() {
        return addressLength;
    }

    /** The family of {@code address}. */
    public static RawFamily of(InetAddress address) {
        return address instanceof Inet4Address ? INET : INET6;
    }
}
