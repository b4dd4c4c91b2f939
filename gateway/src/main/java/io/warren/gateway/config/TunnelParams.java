package io.warren.gateway.config;

import io.warren.gateway.encap.l2tpv3.L2SpecificSublayer;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The settings that only one tunnel type has. Sealed so the daemon switches exhaustively.
 */
public sealed interface TunnelParams {

    /**
     * GRE (RFC 2784 §2.5 checksum, RFC 2890 §2 key and sequence numbers).
     *
     * @param key      the 32-bit key field, if used
     * @param sequence send sequence numbers and require in-order ones (RFC 2890 §2.2)
     * @param checksum send checksums (RFC 2784 §2.5)
     * @param mssClamp {@code mss-clamp} for TCP SYNs crossing the tunnel (layer 3 only)
     */
    record Gre(OptionalLong key, boolean sequence, boolean checksum, MssClamp mssClamp) implements TunnelParams {
        /** Without {@code mss-clamp} (clamped to the tunnel MTU). */
        public Gre(OptionalLong key, boolean sequence, boolean checksum) {
            this(key, sequence, checksum, MssClamp.AUTO);
        }
    }

    /**
     * GRE-in-UDP (RFC 8086 §3): the same GRE header options as {@link Gre} in UDP.
     *
     * @param key      the GRE key field, if used
     * @param port     UDP destination port
     * @param sequence send sequence numbers and require in-order ones (RFC 2890 §2.2)
     * @param checksum send GRE checksums (RFC 2784 §2.5)
     * @param mssClamp {@code mss-clamp} for TCP SYNs crossing the tunnel (layer 3 only)
     */
    record GreUdp(OptionalLong key, int port, boolean sequence, boolean checksum, MssClamp mssClamp)
            implements TunnelParams {
        /** Without sequence numbers, checksum or {@code mss-clamp}. */
        public GreUdp(OptionalLong key, int port) {
            this(key, port, false, false, MssClamp.AUTO);
        }
    }

    /**
     * {@code mss-clamp} of an L3 tunnel: {@code true} (the default) rewrites the MSS option of TCP
     * SYNs crossing the tunnel down to what fits the tunnel MTU (tunnel MTU - 40 for IPv4, - 60 for
     * IPv6; RFC 9293 §3.7.1), {@code false} leaves it alone, a number is a ceiling below that.
     *
     * @param enabled clamp at all
     * @param ceiling the configured MSS ceiling, 0 for "what fits the tunnel MTU"
     */
    record MssClamp(boolean enabled, int ceiling) {
        /** Smallest ceiling accepted: the IPv4 default MSS (RFC 9293 §3.7.1). */
        public static final int MIN = 536;
        /** Largest: 65535 - 40. */
        public static final int MAX = 65495;
        /** Clamp to the tunnel MTU. */
        public static final MssClamp AUTO = new MssClamp(true, 0);
        /** No clamping. */
        public static final MssClamp OFF = new MssClamp(false, 0);

        public MssClamp {
            if (ceiling != 0 && (!enabled || ceiling < MIN || ceiling > MAX)) {
                throw new IllegalArgumentException("MSS ceiling out of range: " + ceiling);
            }
        }

        /** A fixed ceiling. */
        public static MssClamp atMost(int mss) {
            return new MssClamp(true, mss);
        }
    }

    /**
     * VXLAN.
     *
     * @param vni  24-bit VXLAN network identifier
     * @param port UDP destination port
     */
    record Vxlan(int vni, int port) implements TunnelParams {
    }

    /**
     * L2TPv3 static pseudowire (no control connection).
     *
     * @param localSessionId  session id we receive on (non-zero, 32 bits)
     * @param remoteSessionId session id we send (non-zero, 32 bits)
     * @param localCookie     cookie we expect, if any
     * @param remoteCookie    cookie we send, if any
     * @param overUdp         UDP encapsulation instead of IP protocol 115
     * @param port            UDP port when {@code overUdp}
     * @param sequence        send and require sequence numbers (needs the default sublayer)
     * @param sublayer        the L2-Specific Sublayer (RFC 3931 §3.2.2, §4.6; {@code l2-sublayer})
     */
    record L2tpv3(long localSessionId, long remoteSessionId, Cookie localCookie, Cookie remoteCookie,
                  boolean overUdp, int port, boolean sequence, L2SpecificSublayer sublayer) implements TunnelParams {
        public L2tpv3 {
            Objects.requireNonNull(sublayer, "sublayer");
            if (sequence && sublayer != L2SpecificSublayer.DEFAULT) {
                throw new IllegalArgumentException("sequence numbers need the default L2-Specific Sublayer");
            }
        }

        /** With the default sublayer, as Linux ({@code l2spec_type default}). */
        public L2tpv3(long localSessionId, long remoteSessionId, Cookie localCookie, Cookie remoteCookie,
                      boolean overUdp, int port, boolean sequence) {
            this(localSessionId, remoteSessionId, localCookie, remoteCookie, overUdp, port, sequence,
                    L2SpecificSublayer.DEFAULT);
        }
    }

    /**
     * An L2TPv3 cookie: 0, 4 or 8 bytes (length 0 = no cookie).
     *
     * @param value  the cookie as a big-endian number
     * @param length 0, 4 or 8
     */
    record Cookie(long value, int length) {
        /** No cookie. */
        public static final Cookie NONE = new Cookie(0, 0);
    }
}
