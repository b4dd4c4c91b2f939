package io.warren.gateway.testing;

import io.netty.util.ResourceLeakDetector;
import java.lang.management.ManagementFactory;

/**
 * Bytes allocated by the calling thread ({@code com.sun.management.ThreadMXBean}), for tests that
 * bound what a data path allocates per packet. Reading the counter allocates nothing, so a test can
 * bracket each call of one direction and sum the differences ({@link #start()} / {@link #stop()}).
 * The build runs tests with paranoid leak detection, which records a stack per buffer access:
 * {@link #quietLeakDetection()} turns it off for the measurement.
 */
public final class AllocationMeter {
    private static final com.sun.management.ThreadMXBean MX =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private long bytes;
    private long started;
    private long count;

    /** Bytes the calling thread has allocated so far. */
    public static long allocated() {
        return MX.getCurrentThreadAllocatedBytes();
    }

    /** Turns Netty's leak detection off; returns the level to restore. */
    public static ResourceLeakDetector.Level quietLeakDetection() {
        ResourceLeakDetector.Level level = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        return level;
    }

    /** Opens an interval on the calling thread. */
    public void start() {
        started = MX.getCurrentThreadAllocatedBytes();
    }

    /** Closes the interval: adds what the thread allocated since {@link #start()}, counts one packet. */
    public void stop() {
        stop(1);
    }

    /** As {@link #stop()} for an interval that handled {@code packets} packets. */
    public void stop(int packets) {
        bytes += MX.getCurrentThreadAllocatedBytes() - started;
        count += packets;
    }

    /** Forgets what was measured (after a warm-up). */
    public void reset() {
        bytes = 0;
        count = 0;
    }

    /** Bytes per packet measured since the last {@link #reset()}. */
    public double perPacket() {
        return count == 0 ? 0 : (double) bytes / count;
    }

    public long packets() {
        return count;
    }
}
