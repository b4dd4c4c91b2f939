package io.warren.gateway.transport;

import io.warren.crypto.session.Device;
import io.warren.crypto.session.DropReason;
import io.warren.crypto.session.Outcome;
import io.warren.crypto.session.Peer;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The interface's timer tick, every {@value WireGuardInterface#TICK_MILLIS} ms: fires the §6
 * timers of the peers whose deadlines are due ({@link Device#updateTimers}) and sends what they
 * ask for (retransmitted initiations, keepalives). O(1) unless some peer's deadline may be due
 * ({@link Device#timersDue}), so an idle interface with any number of peers neither walks them
 * nor allocates.
 *
 * <p>Threading: the {@code warren-timers} thread ({@link Transports#timers()}); each tick holds
 * the interface lock throughout (the protocol core is not thread-safe). A tick that throws is
 * logged and the next one runs. Buffers: the datagrams the core returns, sent and forgotten.
 */
final class TimerTick implements Runnable, Device.TimerSink {
    private static final Logger LOG = Logger.getLogger(TimerTick.class.getName());

    private final String name;
    private final ReentrantLock lock;
    private final PeerTable table;
    private final DatagramSender sender;
    private final LongSupplier clock;
    private final ShellCounters counters;

    TimerTick(String name, ReentrantLock lock, PeerTable table, DatagramSender sender, LongSupplier clock,
            ShellCounters counters) {
        this.name = name;
        this.counters = counters;
        this.lock = lock;
        this.table = table;
        this.sender = sender;
        this.clock = clock;
    }

    @Override
    public void run() {
        long now = clock.getAsLong();
        lock.lock();
        try {
            Device d = table.device();
            if (d != null && d.timersDue(now)) {
                d.updateTimers(now, this);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, name + ": timer tick failed", e);
        } finally {
            lock.unlock();
        }
    }

    /** One peer's fired timers (under the lock, from {@link #run}). */
    @Override
    public void fired(Peer core, List<Outcome.TimerAction> actions, long now) {
        WgPeer p = table.byCore(core);
        if (p == null) {
            return;
        }
        for (Outcome.TimerAction a : actions) {
            if (a instanceof Outcome.Send s) {
                sender.sendOne(p, s.datagram());
            } else if (a instanceof Outcome.GaveUp g) {
                gaveUp(p, g.stagedDropped());
            }
        }
        p.noteHandshake(now);
    }

    /**
     * Handshake retries ran past REKEY_ATTEMPT_TIME (whitepaper §6.4): the staged packets are
     * counted as {@code HANDSHAKE_GAVE_UP}; logged at INFO when the peer goes from reachable to
     * given up, at FINE while it stays so (each later give-up follows new traffic to a dead peer).
     */
    private void gaveUp(WgPeer p, int stagedDropped) {
        counters.add(DropReason.HANDSHAKE_GAVE_UP, stagedDropped);
        if (p.handshakeGaveUp) {
            LOG.fine(name + ": " + p + ": handshake gave up again, " + stagedDropped + " packets dropped");
            return;
        }
        p.handshakeGaveUp = true;
        LOG.info(name + ": " + p + ": handshake did not complete after every retry; dropped " + stagedDropped
                + " staged packets (counted as handshake_gave_up); said once until a handshake completes");
    }
}
