package io.warren.gateway.uapi;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Arrays;

/**
 * Serves one accepted UAPI connection on a pool thread: reads, feeds a {@link UapiSession}, writes its
 * answers, closes. The channel is non-blocking with its own {@link Selector}, so every wait is bounded:
 * by the idle timeout (no byte moved) and by the connection's total deadline (a client trickling a
 * byte at a time). A stalled or garbage-sending client therefore holds one worker for at most the
 * deadline, and never the device. Interrupting the thread (server shutdown) ends the connection.
 * Owns and closes the channel on every path; wipes each reply after sending (it can hold keys).
 */
final class UapiConnectionWorker implements Runnable {
    private static final System.Logger LOG = System.getLogger(UapiConnectionWorker.class.getName());
    private static final int READ_CHUNK = 16 * 1024;

    private final SocketChannel channel;
    private final UapiSession session;
    private final long idleNanos;
    private final long deadlineNanos;

    /**
     * @param idleNanos longest wait for any progress
     * @param totalNanos longest life of the connection, from now
     */
    UapiConnectionWorker(SocketChannel channel, UapiSession session, long idleNanos, long totalNanos) {
        this.channel = channel;
        this.session = session;
        this.idleNanos = idleNanos;
        this.deadlineNanos = System.nanoTime() + totalNanos;
    }

    @Override
    public void run() {
        try (SocketChannel ch = channel; Selector selector = Selector.open()) {
            ch.configureBlocking(false);
            SelectionKey key = ch.register(selector, SelectionKey.OP_READ);
            serve(ch, selector, key);
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "UAPI connection ended: {0}", e.toString());
        }
    }

    private void serve(SocketChannel ch, Selector selector, SelectionKey key) throws IOException {
        ByteBuffer in = ByteBuffer.allocate(READ_CHUNK);
        while (!session.isClosed()) {
            if (!await(selector, key, SelectionKey.OP_READ)) {
                return;
            }
            int n = ch.read(in);
            if (n == 0) {
                continue;
            }
            UapiSession.Output out;
            if (n < 0) {
                out = session.endOfInput();
            } else {
                in.flip();
                out = session.receive(in);
                in.clear();
            }
            if (!send(ch, selector, key, out.reply()) || out.close()) {
                return;
            }
        }
    }

    private boolean send(SocketChannel ch, Selector selector, SelectionKey key, byte[] reply) throws IOException {
        try {
            ByteBuffer buf = ByteBuffer.wrap(reply);
            while (buf.hasRemaining()) {
                if (ch.write(buf) == 0 && !await(selector, key, SelectionKey.OP_WRITE)) {
                    return false;
                }
            }
            return true;
        } finally {
            Arrays.fill(reply, (byte) 0);
        }
    }

    /** Waits until {@code ops} is ready; false on timeout or interrupt (the connection is then dropped). */
    private boolean await(Selector selector, SelectionKey key, int ops) throws IOException {
        key.interestOps(ops);
        long idleEnd = System.nanoTime() + idleNanos;
        while (true) {
            long now = System.nanoTime();
            long wait = Math.min(idleEnd, deadlineNanos) - now;
            if (Thread.currentThread().isInterrupted()) {
                return false;
            }
            if (wait <= 0) {
                LOG.log(Level.WARNING, "UAPI: client too slow; closing the connection");
                return false;
            }
            if (selector.select(Math.max(1, wait / 1_000_000)) > 0) {
                selector.selectedKeys().clear();
                return true;
            }
        }
    }
}
