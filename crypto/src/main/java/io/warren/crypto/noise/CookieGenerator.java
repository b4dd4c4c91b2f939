package io.warren.crypto.noise;

import io.warren.crypto.primitives.Blake2s;
import io.warren.crypto.primitives.NoisePublicKey;
import io.warren.crypto.primitives.XAead;
import java.util.Arrays;

/**
 * Sender side of the cookie mechanism (whitepaper §5.4.4, §5.4.7), one per peer:
 * <pre>
 *   mac1 = MAC(HASH(LABEL-MAC1 || S_pub_m'), msg_α)
 *   mac2 = MAC(τ_m, msg_β)   if a cookie τ_m was received less than 120 s ago, else 0^16
 * </pre>
 * where {@code S_pub_m'} is the peer's static key, {@code msg_α} the bytes before mac1 and
 * {@code msg_β} the bytes before mac2. It remembers the mac1 it last sent, which is the AAD of the
 * cookie reply the peer may answer with.
 *
 * <p>Not thread-safe: the caller serializes calls per peer. {@code nowNanos} is a monotonic clock.
 */
public final class CookieGenerator {

    /** Outcome of {@link #consumeReply}. */
    public enum ReplyOutcome {
        /** The cookie was decrypted and stored. */
        ACCEPTED,
        /** We sent no handshake message to this peer that a cookie could answer (or one took it already). */
        NO_MAC1_SENT,
        /** The reply did not authenticate against the last mac1 we sent. */
        DECRYPT_FAILED
    }

    private final byte[] mac1Key;
    private final byte[] cookieKey;
    private final byte[] lastMac1 = new byte[WireGuard.MAC_LEN];
    private boolean hasLastMac1;
    private final byte[] cookie = new byte[WireGuard.MAC_LEN];
    private boolean hasCookie;
    private long cookieSetNanos;

    /** @param remoteStatic the public key of the peer the messages are sent to */
    public CookieGenerator(NoisePublicKey remoteStatic) {
        this.mac1Key = StaticIdentity.mac1Key(remoteStatic);
        this.cookieKey = StaticIdentity.cookieKey(remoteStatic);
    }

    /** A copy of {@code msg} with mac1 and, when a fresh cookie is held, mac2. */
    public MessageInitiation addMacs(MessageInitiation msg, long nowNanos) {
        byte[] b = msg.encode();
        addMacs(b, 0, b.length, nowNanos);
        return msg.withMacs(Arrays.copyOfRange(b, MessageInitiation.OFF_MAC1, MessageInitiation.OFF_MAC2),
                Arrays.copyOfRange(b, MessageInitiation.OFF_MAC2, WireGuard.INITIATION_SIZE));
    }

    /** A copy of {@code msg} with mac1 and, when a fresh cookie is held, mac2. */
    public MessageResponse addMacs(MessageResponse msg, long nowNanos) {
        byte[] b = msg.encode();
        addMacs(b, 0, b.length, nowNanos);
        return msg.withMacs(Arrays.copyOfRange(b, MessageResponse.OFF_MAC1, MessageResponse.OFF_MAC2),
                Arrays.copyOfRange(b, MessageResponse.OFF_MAC2, WireGuard.RESPONSE_SIZE));
    }

    /**
     * Writes mac1 and mac2 in place into the encoded handshake message {@code packet[off..off+len)}
     * (the MACs are its last 32 bytes).
     */
    public void addMacs(byte[] packet, int off, int len, long nowNanos) {
        int mac2Off = off + len - WireGuard.MAC_LEN;
        int mac1Off = mac2Off - WireGuard.MAC_LEN;
        Blake2s.mac(mac1Key, packet, off, mac1Off - off, packet, mac1Off);
        System.arraycopy(packet, mac1Off, lastMac1, 0, WireGuard.MAC_LEN);
        hasLastMac1 = true;
        if (hasCookie && nowNanos - cookieSetNanos < WireGuard.COOKIE_REFRESH_TIME_NANOS) {
            Blake2s.mac(cookie, packet, off, mac2Off - off, packet, mac2Off);
        } else {
            Arrays.fill(packet, mac2Off, mac2Off + WireGuard.MAC_LEN, (byte) 0);
        }
    }

    /**
     * Consumes a cookie reply for the message we last sent:
     * {@code τ = XAEAD-Open(HASH(LABEL-COOKIE || S_pub_m'), nonce, cookie, last mac1)}. A reply
     * answers one message: once accepted, the mac1 is forgotten (as the kernel's
     * {@code have_sent_mac1 = false}), so a replayed reply cannot renew the cookie's lifetime.
     */
    public ReplyOutcome consumeReply(MessageCookieReply reply, long nowNanos) {
        if (!hasLastMac1) {
            return ReplyOutcome.NO_MAC1_SENT;
        }
        byte[] tau = XAead.open(cookieKey, reply.nonce(), reply.encryptedCookie(), lastMac1);
        if (tau == null) {
            return ReplyOutcome.DECRYPT_FAILED;
        }
        System.arraycopy(tau, 0, cookie, 0, WireGuard.MAC_LEN);
        Arrays.fill(tau, (byte) 0);
        hasCookie = true;
        cookieSetNanos = nowNanos;
        hasLastMac1 = false;
        return ReplyOutcome.ACCEPTED;
    }

    /** True when a cookie younger than 120 s is held (mac2 will be set). */
    public boolean hasFreshCookie(long nowNanos) {
        return hasCookie && nowNanos - cookieSetNanos < WireGuard.COOKIE_REFRESH_TIME_NANOS;
    }

    @Override
    public String toString() {
        return "CookieGenerator[hasCookie=" + hasCookie + "]";
    }
}
