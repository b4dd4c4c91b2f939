package io.warren.crypto.session;

import java.util.random.RandomGenerator;

/**
 * The five per-peer timers of WireGuard whitepaper §6 as deadlines on the caller's monotonic
 * clock, with the event hooks of the kernel's {@code timers.c} / wireguard-go's
 * {@code timers.go} (see the list atop {@link ProtocolTimers}). No thread, no clock: a hook
 * arms or cancels a deadline; {@link Peer#updateTimers} fires the expired ones. Owned by one peer.
 */
final class PeerTimers {
    /** One deadline; {@code pending} false means disarmed. */
    static final class Deadline {
        boolean pending;
        long at;

        void mod(long deadline) {
            pending = true;
            at = deadline;
        }

        void del() {
            pending = false;
        }

        /** True (and disarms) when armed and reached at {@code now}. */
        boolean expire(long now) {
            if (pending && ProtocolTimers.reached(now, at)) {
                pending = false;
                return true;
            }
            return false;
        }
    }

    final Deadline retransmitHandshake = new Deadline();
    final Deadline sendKeepalive = new Deadline();
    final Deadline newHandshake = new Deadline();
    final Deadline zeroKeyMaterial = new Deadline();
    final Deadline persistentKeepalive = new Deadline();

    int handshakeAttempts;
    boolean needAnotherKeepalive;
    boolean sentLastMinuteHandshake;
    boolean handshakeCompleted;
    long lastHandshake;

    private final RandomGenerator random;
    private final long persistentKeepaliveInterval;

    PeerTimers(RandomGenerator random, long persistentKeepaliveInterval) {
        this.random = random;
        this.persistentKeepaliveInterval = persistentKeepaliveInterval;
    }

    /** Whether any deadline is armed (when none is, {@link Peer#updateTimers} has nothing to do). */
    boolean anyArmed() {
        return retransmitHandshake.pending || sendKeepalive.pending || newHandshake.pending
                || zeroKeyMaterial.pending || persistentKeepalive.pending;
    }

    /** Should be called after an authenticated data packet is sent. */
    void dataSent(long now) {
        if (!newHandshake.pending) {
            newHandshake.mod(now + ProtocolTimers.KEEPALIVE_TIMEOUT + ProtocolTimers.REKEY_TIMEOUT
                    + ProtocolTimers.jitter(random));
        }
    }

    /** Should be called after an authenticated data packet is received. */
    void dataReceived(long now) {
        if (!sendKeepalive.pending) {
            sendKeepalive.mod(now + ProtocolTimers.KEEPALIVE_TIMEOUT);
        } else {
            needAnotherKeepalive = true;
        }
    }

    /** Should be called after any type of authenticated packet is sent: keepalive, data, or handshake. */
    void anyAuthenticatedPacketSent() {
        sendKeepalive.del();
    }

    /** Should be called after any type of authenticated packet is received: keepalive, data, or handshake. */
    void anyAuthenticatedPacketReceived() {
        newHandshake.del();
    }

    /** Should be called after a handshake initiation message is sent. */
    void handshakeInitiated(long now) {
        retransmitHandshake.mod(now + ProtocolTimers.REKEY_TIMEOUT + ProtocolTimers.jitter(random));
    }

    /** Should be called after a handshake response is received, or data on a new keypair as responder. */
    void handshakeComplete(long now) {
        retransmitHandshake.del();
        handshakeAttempts = 0;
        sentLastMinuteHandshake = false;
        handshakeCompleted = true;
        lastHandshake = now;
    }

    /** Should be called after an ephemeral key is created (initiation/response), i.e. a session derived. */
    void sessionDerived(long now) {
        zeroKeyMaterial.mod(now + ProtocolTimers.REJECT_AFTER_TIME * 3);
    }

    /** Should be called before a packet with authentication, whether keepalive, data, or handshake, is sent or received. */
    void anyAuthenticatedPacketTraversal(long now) {
        if (persistentKeepaliveInterval > 0) {
            persistentKeepalive.mod(now + persistentKeepaliveInterval);
        }
    }
}
