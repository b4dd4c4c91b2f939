package io.warren.gateway.control.meters;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** One read per max age with a fake clock; a failing read keeps the last value. */
class ScrapeCacheTest {
    @Test
    void readsAtMostOncePerMaxAgeAndKeepsTheLastValueOnFailure() {
        AtomicLong clock = new AtomicLong(0); // 0 is a valid nanoTime too
        AtomicInteger reads = new AtomicInteger();
        AtomicInteger fail = new AtomicInteger();
        ScrapeCache<Integer> c = new ScrapeCache<>(() -> {
            if (fail.get() > 0) {
                throw new IllegalStateException("closing");
            }
            return reads.incrementAndGet();
        }, 1000, clock::get, -1);
        assertEquals(1, c.get());
        clock.set(999);
        assertEquals(1, c.get(), "fresh: not read again");
        clock.set(1000);
        assertEquals(2, c.get());
        fail.set(1);
        clock.set(5000);
        assertEquals(2, c.get(), "the source failed: last value");
        fail.set(0);
        assertEquals(3, c.get(), "a failed read is retried on the next get");
    }

    @Test
    void initialValueUntilTheFirstSuccessfulRead() {
        ScrapeCache<String> c = new ScrapeCache<>(() -> {
            throw new IllegalStateException("not yet");
        }, 1000, () -> 42, "none");
        assertEquals("none", c.get());
    }
}
