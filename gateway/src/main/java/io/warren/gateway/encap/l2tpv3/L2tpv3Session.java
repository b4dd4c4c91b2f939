package io.warren.gateway.encap.l2tpv3;

import java.util.Arrays;

/**
 * Static configuration of one L2TPv3 session, the parameters of {@code ip l2tp add session}.
 *
 * @param sessionId       our Session ID: the value received packets carry (non-zero)
 * @param peerSessionId   the peer's Session ID: the value sent packets carry (non-zero)
 * @param cookie          cookie we send, 0, 4 or 8 bytes ({@code cookie})
 * @param peerCookie      cookie we expect, 0, 4 or 8 bytes ({@code peer_cookie})
 * @param sublayer        L2-Specific Sublayer of both directions ({@code l2spec_type})
 * @param sendSequence    send sequence numbers ({@code seq send|both}); needs the default sublayer
 * @param requireSequence drop data without sequence numbers ({@code seq recv|both})
 */
public record L2tpv3Session(int sessionId, int peerSessionId, byte[] cookie, byte[] peerCookie,
                            L2SpecificSublayer sublayer, boolean sendSequence, boolean requireSequence) {

    /** Validates IDs, cookie lengths and that sequencing has a sublayer to live in; copies arrays. */
    public L2tpv3Session {
        if (sessionId == L2tpv3Wire.CONTROL_SESSION_ID || peerSessionId == L2tpv3Wire.CONTROL_SESSION_ID) {
            throw new IllegalArgumentException("session IDs must be non-zero");
        }
        cookie = checkCookie(cookie);
        peerCookie = checkCookie(peerCookie);
        if (sublayer == null) {
            throw new IllegalArgumentException("sublayer required");
        }
        if ((sendSequence || requireSequence) && sublayer != L2SpecificSublayer.DEFAULT) {
            throw new IllegalArgumentException("sequence numbers need the default L2-specific sublayer");
        }
    }

    /** A copy of the cookie we send. */
    @Override
    public byte[] cookie() {
        return cookie.clone();
    }

    /** A copy of the cookie we expect. */
    @Override
    public byte[] peerCookie() {
        return peerCookie.clone();
    }

    int cookieLength() {
        return cookie.length;
    }

    int peerCookieLength() {
        return peerCookie.length;
    }

    byte cookieByte(int i) {
        return cookie[i];
    }

    byte peerCookieByte(int i) {
        return peerCookie[i];
    }

    /** Compares configuration by value; cookies included. */
    @Override
    public boolean equals(Object o) {
        return o instanceof L2tpv3Session s && sessionId == s.sessionId && peerSessionId == s.peerSessionId
                && Arrays.equals(cookie, s.cookie) && Arrays.equals(peerCookie, s.peerCookie)
                && sublayer == s.sublayer && sendSequence == s.sendSequence
                && requireSequence == s.requireSequence;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * sessionId + peerSessionId) + sublayer.hashCode();
    }

    /** Does not print cookies. */
    @Override
    public String toString() {
        return "L2tpv3Session[sessionId=" + Integer.toUnsignedString(sessionId)
                + ", peerSessionId=" + Integer.toUnsignedString(peerSessionId)
                + ", cookieLength=" + cookie.length + ", peerCookieLength=" + peerCookie.length
                + ", sublayer=" + sublayer + ", sendSequence=" + sendSequence
                + ", requireSequence=" + requireSequence + "]";
    }

    private static byte[] checkCookie(byte[] c) {
        byte[] copy = c == null ? new byte[0] : c.clone();
        if (copy.length != 0 && copy.length != 4 && copy.length != 8) {
            throw new IllegalArgumentException("cookie must be 0, 4 or 8 bytes");
        }
        return copy;
    }
}
