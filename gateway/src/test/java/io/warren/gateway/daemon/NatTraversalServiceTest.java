package io.warren.gateway.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.warren.gateway.config.ConfigDiff;
import io.warren.gateway.config.ConfigLoader;
import io.warren.gateway.config.WarrenConfig;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The NAT timer's tick when NAT traversal is unused: it does nothing and allocates nothing while
 * the interfaces and settings stay the same instances, and a reload that turns a part on runs the
 * whole tick again. Ticks are called directly (no timer thread).
 */
class NatTraversalServiceTest {
    private final List<String> lookups = new CopyOnWriteArrayList<>();
    private final WireGuardService wireguard = new WireGuardService((ic, t) -> {
        throw new AssertionError("no interface is opened here");
    });
    private final NatTraversalService service = new NatTraversalService(wireguard, new SimpleMeterRegistry(),
            host -> {
                lookups.add(host);
                return Optional.of(InetAddress.getLoopbackAddress());
            }, NatTraversalService.Settings.STANDARD);

    private static WarrenConfig config(Path dir, String toml) throws Exception {
        Path file = dir.resolve("warren.toml");
        Files.writeString(file, toml);
        return ConfigLoader.load(file).config().orElseThrow();
    }

    @Test
    void unusedNatTraversalTicksAllocateNothing() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 20_000; i++) {
            service.tick(); // the first one is whole; the rest find the same configuration idle
        }
        long before = mx.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 10_000; i++) {
            service.tick();
        }
        assertEquals(0, mx.getCurrentThreadAllocatedBytes() - before, "bytes allocated by 10,000 idle ticks");
    }

    @Test
    void aReloadThatAddsStunServersRunsTheWholeTickAgain(@TempDir Path dir) throws Exception {
        WarrenConfig off = config(dir, "[metrics]\nenabled = false\n");
        service.tick();
        service.tick();
        assertEquals(List.of(), lookups);
        WarrenConfig on = config(dir, "[metrics]\nenabled = false\n[nat-traversal]\nstun-servers = [\"stun.test:3478\"]\n");
        service.apply(off, on, ConfigDiff.between(off, on));
        service.tick();
        assertEquals(List.of("stun.test"), lookups, "the new servers were resolved by the next tick");
        service.apply(on, off, ConfigDiff.between(on, off));
        service.tick();
        service.tick();
        assertEquals(List.of("stun.test"), lookups);
    }

    @Test
    void theTimerSleepsWhileUnusedAndAReloadWakesIt(@TempDir Path dir) throws Exception {
        WarrenConfig off = config(dir, "[metrics]\nenabled = false\n");
        service.start(off);
        try {
            awaitTrue(() -> natThreadState() == Thread.State.WAITING, "the timer thread waits with nothing scheduled");
            WarrenConfig on = config(dir, "[metrics]\nenabled = false\n[nat-traversal]\nstun-servers = [\"stun.test\"]\n");
            service.apply(off, on, ConfigDiff.between(off, on));
            awaitTrue(() -> lookups.contains("stun.test"), "the reload woke the timer");
            // Between ticks it waits with a deadline; one sample may catch it inside a tick (RUNNABLE)
            // on a busy box, so look until it is seen waiting.
            awaitTrue(() -> natThreadState() == Thread.State.TIMED_WAITING, "ticking every 100 ms while a part is on");
        } finally {
            service.close();
        }
    }

    private static Thread.State natThreadState() {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("warren-nat") && t.isAlive()) {
                return t.getState();
            }
        }
        return null;
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out: " + what);
            }
            Thread.sleep(10);
        }
    }
}
