package io.warren.crypto.session;

import java.util.random.RandomGenerator;

/*
 * Timers (WireGuard whitepaper §6; the kernel's timers.c), all evaluated by Peer.updateTimers(now):
 *
 * - retransmit handshake: armed when an initiation is sent (REKEY_TIMEOUT + jitter); fires -> send a
 *   new initiation, unless attempts exceed REKEY_ATTEMPT_TIME / REKEY_TIMEOUT, then give up: drop
 *   staged packets, stop the keepalive timer, arm zero-key-material.
 * - send keepalive (passive): armed when authenticated data is received and not already armed
 *   (KEEPALIVE_TIMEOUT); fires -> send an empty data message, re-arm once more if data arrived while
 *   it was armed. Cancelled when any authenticated packet is sent.
 * - new handshake: armed when data is sent and not already armed (KEEPALIVE_TIMEOUT + REKEY_TIMEOUT
 *   + jitter); fires -> initiate a handshake, we stopped hearing back. Cancelled when any
 *   authenticated packet is received.
 * - zero key material: armed when a session is derived (REJECT_AFTER_TIME * 3); fires -> forget all
 *   keypairs and the handshake state.
 * - persistent keepalive: armed on any authenticated packet sent or received when the interval is
 *   non-zero; fires -> send an empty data message.
 *
 * Not timers but checks on the data path (keep-key-fresh, §6.2):
 * - sending on a keypair we initiated that is older than REKEY_AFTER_TIME or has sent
 *   REKEY_AFTER_MESSAGES -> initiate a handshake;
 * - receiving on a keypair we initiated older than REJECT_AFTER_TIME - KEEPALIVE_TIMEOUT -
 *   REKEY_TIMEOUT -> initiate a handshake, once per keypair;
 * - a keypair older than REJECT_AFTER_TIME is never used to send or receive.
 */

/**
 * The time constants of WireGuard whitepaper §6.1 in nanoseconds, and the retransmission jitter.
 * All arithmetic on {@code now} uses {@code a - b} differences so a monotonic clock may wrap.
 */
public final class ProtocolTimers {
    private ProtocolTimers() {}

    private static final long SECOND = 1_000_000_000L;
    private static final long MILLISECOND = 1_000_000L;

    /** §6.1 Rekey-After-Time: 120 s. */
    public static final long REKEY_AFTER_TIME = 120 * SECOND;
    /** §6.1 Reject-After-Time: 180 s. */
    public static final long REJECT_AFTER_TIME = 180 * SECOND;
    /** §6.1 Rekey-Attempt-Time: 90 s. */
    public static final long REKEY_ATTEMPT_TIME = 90 * SECOND;
    /** §6.1 Rekey-Timeout: 5 s. */
    public static final long REKEY_TIMEOUT = 5 * SECOND;
    /** §6.1 Keepalive-Timeout: 10 s. */
    public static final long KEEPALIVE_TIMEOUT = 10 * SECOND;
    /** §5.4.7 cookie secret lifetime: 120 s. */
    public static final long COOKIE_REFRESH_TIME = 120 * SECOND;
    /** Upper bound (exclusive) of the random jitter added to REKEY_TIMEOUT: 334 ms. */
    public static final int REKEY_TIMEOUT_JITTER_MAX_MS = 334;
    /** Initiations sent before giving up: REKEY_ATTEMPT_TIME / REKEY_TIMEOUT = 18. */
    public static final int MAX_TIMER_HANDSHAKES = (int) (REKEY_ATTEMPT_TIME / REKEY_TIMEOUT);
    /** Keypairs initiated by us get refreshed on receive after this age (§6.2). */
    public static final long REKEY_ON_RECEIVE_AGE = REJECT_AFTER_TIME - KEEPALIVE_TIMEOUT - REKEY_TIMEOUT;

    /** A jitter in [0, 333] ms drawn from the injected random source. */
    public static long jitter(RandomGenerator random) {
        return random.nextInt(REKEY_TIMEOUT_JITTER_MAX_MS) * MILLISECOND;
    }

    /** True when {@code deadline} has been reached at {@code now} (wrap-safe). */
    static boolean reached(long now, long deadline) {
        return now - deadline >= 0;
    }

    /** True when more than {@code span} nanos passed from {@code since} to {@code now}. */
    static boolean olderThan(long now, long since, long span) {
        return now - since > span;
    }
}
