package io.warren.gateway.unixsocket;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import jdk.net.ExtendedSocketOptions;

/**
 * A server's accept thread: blocking {@code accept} and the {@code SO_PEERCRED} lookup (the JDK
 * resolves the uid to a name, which may ask a slow user database), so neither can stall the I/O of
 * open connections. Hands each channel with its {@link Peer} to the {@link Reactor} through a short
 * queue; when that is full, new connections wait in the kernel's listen backlog. Owns a channel only
 * until it is queued.
 */
final class Acceptor implements Runnable {
    private static final Logger LOG = Logger.getLogger(Acceptor.class.getName());
    private static final long PAUSE_MILLIS = 100;
    private static final int QUEUE = 64;

    /** A connection accepted and not yet admitted. */
    record Accepted(SocketChannel channel, Peer peer) {
    }

    private final UnixSocketServer.Settings settings;
    private final ServerSocketChannel listener;
    private final Runnable wakeup;
    private final ArrayBlockingQueue<Accepted> accepted = new ArrayBlockingQueue<>(QUEUE);
    private volatile boolean stopping;

    /** @param wakeup called after each hand-over (wakes the reactor's selector) */
    Acceptor(UnixSocketServer.Settings settings, ServerSocketChannel listener, Runnable wakeup) {
        this.settings = settings;
        this.listener = listener;
        this.wakeup = wakeup;
    }

    @Override
    public void run() {
        while (!stopping) {
            SocketChannel ch;
            try {
                ch = listener.accept();
            } catch (ClosedChannelException closed) {
                return;
            } catch (IOException e) {
                // e.g. EMFILE: the pending connection stays in the backlog; retry shortly, do not spin
                LOG.warning(settings.what() + ": accept failed: " + e);
                if (!pause()) {
                    return;
                }
                continue;
            }
            if (!handOver(new Accepted(ch, peerOf(ch)))) {
                Reactor.closeQuietly(ch, settings.what());
                return;
            }
            wakeup.run();
        }
    }

    private boolean handOver(Accepted a) {
        try {
            while (!accepted.offer(a, PAUSE_MILLIS, TimeUnit.MILLISECONDS)) {
                if (stopping) {
                    return false;
                }
            }
            return true;
        } catch (InterruptedException stop) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean pause() {
        try {
            Thread.sleep(PAUSE_MILLIS);
            return true;
        } catch (InterruptedException stop) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The next accepted connection, or null. */
    Accepted poll() {
        return accepted.poll();
    }

    /** Stops accepting: closes the listening socket (idempotent). */
    void stop() {
        stopping = true;
        try {
            listener.close();
        } catch (IOException e) {
            LOG.log(Level.FINE, settings.what() + ": closing the listener failed", e);
        }
    }

    /** Closes connections accepted but never admitted. */
    void closeLeftovers() {
        for (Accepted a; (a = accepted.poll()) != null;) {
            Reactor.closeQuietly(a.channel(), settings.what());
        }
    }

    private Peer peerOf(SocketChannel ch) {
        try {
            String user = ch.getOption(ExtendedSocketOptions.SO_PEERCRED).user().getName();
            return new Peer(user, settings.privilegedUsers().contains(user));
        } catch (IOException | UnsupportedOperationException e) {
            return new Peer("?", false);
        }
    }
}
