package io.warren.testlab;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Polling waits for conditions that a real kernel or peer makes true asynchronously (a link up, a
 * process output line, a handshake). Polls with a short exponential backoff (1 ms doubling to 50 ms)
 * instead of fixed sleeps, so a fast condition costs about a millisecond.
 */
public final class Wait {
    private static final long FIRST_PAUSE_NANOS = Duration.ofMillis(1).toNanos();
    private static final long MAX_PAUSE_NANOS = Duration.ofMillis(50).toNanos();

    private Wait() {
    }

    /**
     * Waits until {@code condition} is true.
     *
     * @param timeout   how long to keep polling
     * @param what      description of the awaited state, used in the failure message
     * @param condition polled repeatedly; must not block for long
     * @throws AssertionError naming {@code what} and the timeout when the condition never held
     */
    public static void until(Duration timeout, String what, BooleanSupplier condition) {
        untilPresent(timeout, what, () -> condition.getAsBoolean() ? Optional.of(Boolean.TRUE) : Optional.empty());
    }

    /**
     * Waits until {@code supplier} yields a value and returns it.
     *
     * @param timeout  how long to keep polling
     * @param what     description of the awaited value, used in the failure message
     * @param supplier polled repeatedly; returns empty while the value is not there yet
     * @param <T>      value type
     * @return the first value supplied
     * @throws AssertionError naming {@code what} and the timeout when no value came in time
     */
    public static <T> T untilPresent(Duration timeout, String what, Supplier<Optional<T>> supplier) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        long pause = FIRST_PAUSE_NANOS;
        int polls = 0;
        while (true) {
            Optional<T> value = supplier.get();
            polls++;
            if (value.isPresent()) {
                return value.get();
            }
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for: " + what
                        + " (" + polls + " polls)");
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new AssertionError("interrupted while waiting for: " + what);
            }
            LockSupport.parkNanos(Math.min(pause, deadline - now));
            pause = Math.min(pause * 2, MAX_PAUSE_NANOS);
        }
    }
}
