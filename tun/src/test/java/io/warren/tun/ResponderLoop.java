package io.warren.tun;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * Integration-test helper: a thread that reads packets from a device, lets {@code answer} rewrite
 * each one in place into a reply, and writes the replies back. Ends when the device is closed.
 */
final class ResponderLoop implements AutoCloseable {
    private final TunDevice device;
    private final Predicate<ByteBuffer> answer;
    private final Thread thread;
    private final AtomicInteger read = new AtomicInteger();
    private final AtomicInteger answered = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    ResponderLoop(TunDevice device, Predicate<ByteBuffer> answer) {
        this.device = device;
        this.answer = answer;
        this.thread = new Thread(this::run, "responder-" + device.name());
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        ByteBuffer buf = ByteBuffer.allocateDirect(65536 + 64);
        try {
            for (;;) {
                buf.clear();
                buf.position(64); // headroom, as a gateway would leave for outer headers
                int n = device.read(buf);
                read.incrementAndGet();
                buf.limit(buf.position()).position(64);
                if (n > 0 && answer.test(buf)) {
                    device.write(buf);
                    answered.incrementAndGet();
                }
            }
        } catch (ClosedChannelException expected) {
            // device closed: normal end
        } catch (IOException | RuntimeException e) {
            failure.set(e);
        }
    }

    int read() {
        return read.get();
    }

    int answered() {
        return answered.get();
    }

    /** The exception that ended the loop early, or null. */
    Throwable failure() {
        return failure.get();
    }

    /** Closes the device, which must end the blocked read, and joins the thread. */
    @Override
    public void close() {
        device.close();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while joining the reader of " + device.name(), e);
        }
        if (thread.isAlive()) {
            throw new AssertionError("close() did not wake the reader of " + device.name());
        }
    }
}
