package io.warren.gateway.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.warren.crypto.session.Constants;
import io.warren.crypto.session.DropReason;
import io.warren.crypto.primitives.NoisePrivateKey;
import io.warren.gateway.uapi.PeerEndpoint;
import io.warren.tun.testing.MemoryTunDevice;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * Drops the protocol core counts inside a peer reach the interface's counters (and so status and
 * metrics): a full staged queue and handshake retries given up, on a fake clock, against a peer
 * that never answers.
 */
class CoreDropCountersTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int EXTRA = 3;

    @Test
    void stagedQueueOverflowAndGivenUpHandshakesAreCountedAndLoggedOncePerTransition() throws Exception {
        AtomicLong clock = new AtomicLong(1_000_000_000_000L);
        List<LogRecord> infos = new CopyOnWriteArrayList<>();
        Logger log = Logger.getLogger(TimerTick.class.getName());
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() >= Level.INFO.intValue()) {
                    infos.add(r);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(capture);
        try (Transports transports = Transports.create(1);
                DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            MemoryTunDevice tun = new MemoryTunDevice("wd");
            try (WireGuardInterface wg = new WireGuardInterface("wd", tun, 1420, transports, clock::get)) {
                NoisePrivateKey peerKey = NoisePrivateKey.generate(RANDOM);
                wg.reconcile(WireGuardInterfaceTest.state(NoisePrivateKey.generate(RANDOM), 0,
                        WireGuardInterfaceTest.peer(peerKey,
                                PeerEndpoint.of(InetAddress.getLoopbackAddress().getAddress(), silent.getLocalPort()),
                                "10.0.0.2/32")));
                wg.start();
                ShellCounters c = wg.counters();
                for (int i = 0; i < Constants.MAX_STAGED_PACKETS + EXTRA; i++) {
                    tun.inject(WireGuardInterfaceTest.ipv4("10.0.0.1", "10.0.0.2", 10 + i));
                }
                await(() -> c.get(DropReason.STAGED_QUEUE_FULL) == EXTRA, "staged_queue_full " + c.nonZero());

                runClockUntil(clock, () -> c.get(DropReason.HANDSHAKE_GAVE_UP) == Constants.MAX_STAGED_PACKETS,
                        "handshake_gave_up " + c.nonZero());
                await(() -> infos.size() == 1, "one INFO line at the give-up: " + infos.size());

                // New traffic, a second give-up: counted again, but the peer is still given up: no new INFO
                tun.inject(WireGuardInterfaceTest.ipv4("10.0.0.1", "10.0.0.2", 5));
                await(() -> wg.peers().get(0).core.stagedPackets() == 1, "staged again");
                runClockUntil(clock, () -> c.get(DropReason.HANDSHAKE_GAVE_UP) == Constants.MAX_STAGED_PACKETS + 1,
                        "second give-up " + c.nonZero());
                assertEquals(1, infos.size(), "logged once per transition, not per give-up or packet");
                assertEquals(EXTRA, c.nonZero().get("staged_queue_full"));
            }
        } finally {
            log.removeHandler(capture);
        }
    }

    /** Moves the fake clock 6 s per timer tick (REKEY_TIMEOUT is 5 s) until {@code done}. */
    private static void runClockUntil(AtomicLong clock, BooleanSupplier done, String what) throws Exception {
        for (int i = 0; i < 100 && !done.getAsBoolean(); i++) {
            clock.addAndGet(TimeUnit.SECONDS.toNanos(6));
            Thread.sleep(3 * WireGuardInterface.TICK_MILLIS / 2);
        }
        assertEquals(true, done.getAsBoolean(), what);
    }

    private static void await(BooleanSupplier done, String what) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!done.getAsBoolean() && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertEquals(true, done.getAsBoolean(), what);
    }
}
