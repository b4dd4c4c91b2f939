package io.warren.gateway.uapi;

import java.util.Arrays;
import java.util.Optional;

/**
 * An allowed-IPs prefix of a peer ({@code allowed_ip=10.1.2.0/24}). Immutable; host bits are always
 * cleared, as wireguard-go and the kernel store them ({@code 10.1.2.3/24} becomes {@code 10.1.2.0/24}).
 */
public final class AllowedIp {
    private final byte[] address;
    private final int prefixLength;

    private AllowedIp(byte[] address, int prefixLength) {
        this.address = address;
        this.prefixLength = prefixLength;
    }

    /**
     * A prefix from address bytes (4 or 16) and a length; host bits are cleared.
     *
     * @throws IllegalArgumentException on a wrong address length or prefix length (programming errors)
     */
    public static AllowedIp of(byte[] address, int prefixLength) {
        if (address.length != 4 && address.length != 16) {
            throw new IllegalArgumentException("an IP address is 4 or 16 bytes, got " + address.length);
        }
        if (prefixLength < 0 || prefixLength > address.length * 8) {
            throw new IllegalArgumentException("prefix length out of range: " + prefixLength);
        }
        return new AllowedIp(masked(address, prefixLength), prefixLength);
    }

    /** Parses {@code ADDRESS/LENGTH} as Go's {@code netip.ParsePrefix}; anything else gives empty. */
    public static Optional<AllowedIp> parse(String text) {
        int slash = text.indexOf('/');
        if (slash <= 0 || slash != text.lastIndexOf('/')) {
            return Optional.empty();
        }
        byte[] address = IpLiterals.parse(text.substring(0, slash));
        String bits = text.substring(slash + 1);
        if (address == null || bits.isEmpty() || bits.length() > 3
                || (bits.length() > 1 && bits.charAt(0) == '0')) {
            return Optional.empty();
        }
        int length = 0;
        for (int i = 0; i < bits.length(); i++) {
            char c = bits.charAt(i);
            if (c < '0' || c > '9') {
                return Optional.empty();
            }
            length = length * 10 + (c - '0');
        }
        if (length > address.length * 8) {
            return Optional.empty();
        }
        return Optional.of(new AllowedIp(masked(address, length), length));
    }

    /** A copy of the (masked) address bytes: 4 for IPv4, 16 for IPv6. */
    public byte[] address() {
        return address.clone();
    }

    public int prefixLength() {
        return prefixLength;
    }

    public boolean isIpv4() {
        return address.length == 4;
    }

    private static byte[] masked(byte[] address, int prefixLength) {
        byte[] out = address.clone();
        for (int i = 0; i < out.length; i++) {
            int bitsHere = Math.max(0, Math.min(8, prefixLength - 8 * i));
            out[i] &= (byte) (0xff << (8 - bitsHere));
        }
        return out;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AllowedIp a && prefixLength == a.prefixLength && Arrays.equals(address, a.address);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(address) + prefixLength;
    }

    /** Wire form, as wireguard-go prints it: {@code 10.1.2.0/24}, {@code fd00::/64}. */
    @Override
    public String toString() {
        return IpLiterals.format(address) + "/" + prefixLength;
    }
}
