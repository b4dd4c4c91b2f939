package io.warren.crypto.noise;

import io.warren.crypto.primitives.Blake2s;
import io.warren.crypto.primitives.ConstantTime;
import io.warren.crypto.primitives.XAead;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Receiver side of the cookie mechanism (whitepaper §5.4.4, §5.4.7), one per interface:
 * <ul>
 *   <li>mac1 must equal {@code MAC(HASH(LABEL-MAC1 || S_pub), msg_α)}, else the message is dropped;</li>
 *   <li>when the shell says we are under load, mac2 must equal {@code MAC(τ, msg_β)} with the cookie
 *       {@code τ = MAC(R_m, source IP || source port)}; otherwise a cookie reply is returned:
 *       {@code XAEAD(HASH(LABEL-COOKIE || S_pub), nonce, τ, mac1)} with a random 24-byte nonce.</li>
 * </ul>
 * The secret {@code R_m} is 32 random bytes, replaced when older than 120 s. Randomness and the
 * monotonic {@code nowNanos} are inputs. Not thread-safe: the caller serializes calls (it is cheap).
 */
public final class CookieChecker {

    /** What to do with a handshake message. */
    public sealed interface Verdict permits Pass, Drop, SendCookieReply {
    }

    /** MACs are good: go on to {@link Handshake} (after the rate limiter, when under load). */
    public record Pass() implements Verdict {
    }

    /** Drop the message silently. */
    public record Drop(Reason reason) implements Verdict {
    }

    /** Under load without a valid mac2: send {@code reply} to the source, do not process the message. */
    public record SendCookieReply(MessageCookieReply reply) implements Verdict {
    }

    /** Why a handshake message was dropped. */
    public enum Reason {
        /** mac1 does not match our public key. */
        BAD_MAC1
    }

    private final byte[] mac1Key;
    private final byte[] cookieKey;
    private final byte[] secret = new byte[32];
    private boolean secretSet;
    private long secretSetNanos;

    public CookieChecker(StaticIdentity local) {
        this.mac1Key = local.mac1Key();
        this.cookieKey = local.cookieKey();
    }

    /**
     * Checks a handshake message from {@code source} (see {@link #sourceBytes(InetSocketAddress)}).
     *
     * @param underLoad decided by the shell (e.g. a deep handshake queue)
     */
    public Verdict check(HandshakeMessage msg, byte[] source, boolean underLoad, long nowNanos, SecureRandom rnd) {
        byte[] b = msg.encode();
        int mac2Off = b.length - WireGuard.MAC_LEN;
        int mac1Off = mac2Off - WireGuard.MAC_LEN;
        byte[] expected = new byte[WireGuard.MAC_LEN];
        Blake2s.mac(mac1Key, b, 0, mac1Off, expected, 0);
        if (!ConstantTime.equals(expected, 0, b, mac1Off, WireGuard.MAC_LEN)) {
            return new Drop(Reason.BAD_MAC1);
        }
        if (!underLoad) {
            return new Pass();
        }
        if (secretFresh(nowNanos)) {
            byte[] tau = Blake2s.mac(secret, source);
            Blake2s.mac(tau, b, 0, mac2Off, expected, 0);
            Arrays.fill(tau, (byte) 0);
            if (ConstantTime.equals(expected, 0, b, mac2Off, WireGuard.MAC_LEN)) {
                return new Pass();
            }
        }
        return new SendCookieReply(createReply(msg, source, nowNanos, rnd));
    }

    /** Builds the cookie reply to {@code msg} from {@code source}, refreshing {@code R_m} when stale. */
    public MessageCookieReply createReply(HandshakeMessage msg, byte[] source, long nowNanos, SecureRandom rnd) {
        if (!secretFresh(nowNanos)) {
            rnd.nextBytes(secret);
            secretSet = true;
            secretSetNanos = nowNanos;
        }
        byte[] tau = Blake2s.mac(secret, source);
        byte[] nonce = new byte[XAead.NONCE_LEN];
        rnd.nextBytes(nonce);
        byte[] sealed = XAead.seal(cookieKey, nonce, tau, msg.mac1());
        Arrays.fill(tau, (byte) 0);
        return new MessageCookieReply(msg.sender(), nonce, sealed);
    }

    /**
     * The source bytes the cookie binds to: the IP address (4 or 16 bytes) then the UDP port,
     * big-endian, as the Linux kernel hashes them.
     */
    public static byte[] sourceBytes(InetSocketAddress source) {
        byte[] ip = source.getAddress().getAddress();
        byte[] b = Arrays.copyOf(ip, ip.length + 2);
        b[ip.length] = (byte) (source.getPort() >>> 8);
        b[ip.length + 1] = (byte) source.getPort();
        return b;
    }

    private boolean secretFresh(long nowNanos) {
        return secretSet && nowNanos - secretSetNanos < WireGuard.COOKIE_REFRESH_TIME_NANOS;
    }
}
