package io.warren.crypto.session;

import java.util.random.RandomGenerator;

/**
 * The five per-peer timers of WireGuard whitepaper §6 as deadlines on the caller's monotonic
 * clock, with the event hooks of the kernel's {@code timers.c} / wireguard-go's
 * {@code timers.go} (see the list atop {@link ProtocolTimers}). No thread, no clock: a hook
 * arms or cancels a deadline; {@link Peer#updateTimers} fires the expired ones. Owned by one peer.
 */
final class PeerTimers {
    /** One deadline; {@code pending} false means disarmed. Arming one offers it to the device's bound. */
    static final class Deadline {
        private final NextDeadline next;
        boolean pending;
        long at;

        Deadline(NextDeadline next) {
            this.next = next;
        }

        void mod(long deadline) {
            pending = true;
            at = deadline;
            next.offer(deadline);
        }

        /** Offers the deadline again if armed (after the device's bound was cleared for a walk). */
        void reoffer() {
            if (pending) {
                next.offer(at);
            }
        }

        boolean due(long now) {
            return pending && ProtocolTimers.reached(now, at);
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

    final Deadline retransmitHandshake;
    final Deadline sendKeepalive;
    final Deadline newHandshake;
    final Deadline zeroKeyMaterial;
    final Deadline persistentKeepalive;

    int handshakeAttempts;
    boolean needAnotherKeepalive;
    boolean sentLastMinuteHandshake;
    boolean handshakeCompleted;
    long lastHandshake;

    private final RandomGenerator random;
    private final long persistentKeepaliveInterval;

    /** @param next the device's bound every armed deadline is offered to */
    PeerTimers(RandomGenerator random, long persistentKeepaliveInterval, NextDeadline next) {
        this.random = random;
        this.persistentKeepaliveInterval = persistentKeepaliveInterval;
        this.retransmitHandshake = new Deadline(next);
        this.sendKeepalive = new Deadline(next);
        this.newHandshake = new Deadline(next);
        this.zeroKeyMaterial = new Deadline(next);
        this.persistentKeepalive = new Deadline(next);
    }

    /** Whether any deadline is reached at {@code now} (when none is, {@link Peer#updateTimers} has nothing to do). */
    boolean anyDue(long now) {
        return retransmitHandshake.due(now) || sendKeepalive.due(now) || newHandshake.due(now)
                || zeroKeyMaterial.due(now) || persistentKeepalive.due(now);
    }

    /** Offers every armed deadline to the device's bound again (see {@link NextDeadline}). */
    void reofferArmed() {
        retransmitHandshake.reoffer();
        sendKeepalive.reoffer();
        newHandshake.reoffer();
        zeroKeyMaterial.reoffer();
        persistentKeepalive.reoffer();
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
