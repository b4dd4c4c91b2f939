package io.warren.gateway.unixsocket;

import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Arrays;

/**
 * One accepted connection as the {@link Reactor} tracks it. Confined to the reactor thread, except
 * {@link #session}, which only the worker running the connection's one task in flight touches.
 *
 * <p>States: {@code READING} (waiting on the client; the only state in which it may be displaced),
 * {@code PROCESSING} (one task on a worker, nothing read, no deadline but the lifetime),
 * {@code WRITING} (a reply being taken by the client), {@code CLOSED}.
 */
final class Connection {
    enum State { READING, PROCESSING, WRITING, CLOSED }

    final SocketChannel channel;
    final SelectionKey key;
    final Peer peer;
    final UnixSocketSession session;
    private final long lifetimeEnd;
    State state = State.READING;
    /** End of the current request's or reply's time (System.nanoTime). */
    long phaseEnd;
    /** End of the allowed silence (System.nanoTime), pushed back by every byte moved. */
    long idleEnd;
    /** The reply being written, and whether to close after it. */
    ByteBuffer pending;
    boolean closeAfter;
    /** The client has shut down its sending side. */
    boolean eof;

    Connection(SocketChannel channel, SelectionKey key, Peer peer, UnixSocketSession session, long lifetimeEnd) {
        this.channel = channel;
        this.key = key;
        this.peer = peer;
        this.session = session;
        this.lifetimeEnd = lifetimeEnd;
    }

    /** Whether it waits on its client with nothing in flight (may be displaced by a newcomer). */
    boolean waiting() {
        return state == State.READING;
    }

    /** When it must be closed unless something happens, or {@code Long.MAX_VALUE}. */
    long deadline() {
        return switch (state) {
            case READING, WRITING -> Math.min(lifetimeEnd, Math.min(phaseEnd, idleEnd));
            case PROCESSING -> lifetimeEnd;
            case CLOSED -> Long.MAX_VALUE;
        };
    }

    /** Wipes and forgets the pending reply (it can hold keys). */
    void dropPending() {
        if (pending != null) {
            Arrays.fill(pending.array(), (byte) 0);
            pending = null;
        }
    }
}
