package io.warren.testlab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class WaitTest {

    @Test
    void timeoutNamesWhatWasAwaitedAndTheTimeout() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> Wait.until(Duration.ofMillis(30), "link wt0 to come up", () -> false));
        assertTrue(e.getMessage().contains("link wt0 to come up"), e.getMessage());
        assertTrue(e.getMessage().contains("30 ms"), e.getMessage());
    }

    @Test
    void returnsAsSoonAsConditionHolds() {
        AtomicInteger polls = new AtomicInteger();
        Wait.until(Duration.ofSeconds(10), "third poll", () -> polls.incrementAndGet() == 3);
        assertEquals(3, polls.get());
    }

    @Test
    void untilPresentReturnsTheFirstValue() {
        AtomicInteger polls = new AtomicInteger();
        String v = Wait.untilPresent(Duration.ofSeconds(10), "a value",
                () -> polls.incrementAndGet() < 4 ? Optional.empty() : Optional.of("v" + polls.get()));
        assertEquals("v4", v);
    }

    @Test
    void untilPresentTimeoutNamesWhat() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> Wait.untilPresent(Duration.ofMillis(5), "handshake with peer B", Optional::empty));
        assertTrue(e.getMessage().contains("handshake with peer B"), e.getMessage());
    }
}
