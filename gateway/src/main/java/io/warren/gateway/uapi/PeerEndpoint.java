package io.warren.gateway.uapi;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;

/**
 * A peer's UDP endpoint as the UAPI writes it: {@code 192.0.2.1:51820} or {@code [fd00::1]:51820}.
 * Immutable. Parsing never looks a name up ({@code wg} resolves names before it sends them).
 */
public final class PeerEndpoint {
    private final byte[] address;
    private final int port;

    private PeerEndpoint(byte[] address, int port) {
        this.address = address;
        this.port = port;
    }

    /**
     * An endpoint from address bytes (4 or 16) and a port 0..65535.
     *
     * @throws IllegalArgumentException on a wrong address length or port (programming errors)
     */
    public static PeerEndpoint of(byte[] address, int port) {
        if (address.length != 4 && address.length != 16) {
            throw new IllegalArgumentException("an IP address is 4 or 16 bytes, got " + address.length);
        }
        if (port < 0 || port > 0xffff) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        return new PeerEndpoint(address.clone(), port);
    }

    /** Parses {@code A.B.C.D:PORT} or {@code [IPV6]:PORT} as Go's {@code netip.ParseAddrPort}; else empty. */
    public static Optional<PeerEndpoint> parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            return Optional.empty();
        }
        String host = text.substring(0, colon);
        byte[] address;
        if (host.startsWith("[") && host.endsWith("]") && host.length() > 2) {
            address = IpLiterals.parse(host.substring(1, host.length() - 1));
            if (address == null || address.length != 16) {
                return Optional.empty();
            }
        } else {
            address = IpLiterals.parse(host);
            if (address == null || address.length != 4) {
                return Optional.empty();
            }
        }
        int port = (int) SetRequestParser.parseUnsigned(text.substring(colon + 1), 0xffff);
        return port < 0 ? Optional.empty() : Optional.of(new PeerEndpoint(address, port));
    }

    /** A copy of the address bytes: 4 for IPv4, 16 for IPv6. */
    public byte[] address() {
        return address.clone();
    }

    public int port() {
        return port;
    }

    /** The same endpoint as a resolved socket address (no lookup); IPv4-mapped IPv6 becomes IPv4. */
    public InetSocketAddress toSocketAddress() {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(address), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("address length was validated", e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PeerEndpoint e && port == e.port && Arrays.equals(address, e.address);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(address) + port;
    }

    /** Wire form: {@code 192.0.2.1:51820}, {@code [fd00::1]:51820}. */
    @Override
    public String toString() {
        String host = IpLiterals.format(address);
        return (address.length == 16 ? "[" + host + "]" : host) + ":" + port;
    }
}
