package io.warren.gateway.config;

import io.warren.gateway.encap.l2tpv3.L2SpecificSublayer;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The settings that only one tunnel type has. Sealed so the daemon switches exhaustively.
 */
public sealed interface TunnelParams {

    /**
     * GRE (RFC 2890 options).
     *
     * @param key      the 32-bit key field, if used
     * @param sequence send and check sequence numbers
     * @param checksum send checksums
     */
    record Gre(OptionalLong key, boolean sequence, boolean checksum) implements TunnelParams {
    }

    /**
     * GRE-in-UDP (RFC 8086).
     *
     * @param key  the GRE key field, if used
     * @param port UDP destination port
     */
    record GreUdp(OptionalLong key, int port) implements TunnelParams {
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
