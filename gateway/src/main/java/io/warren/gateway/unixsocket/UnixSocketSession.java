package io.warren.gateway.unixsocket;

import java.nio.ByteBuffer;

/**
 * One connection's protocol, sans I/O, as a {@link UnixSocketServer} drives it: fed the bytes the
 * client sent, it returns the bytes to answer and whether to close after them. Calls never block on
 * the client (they may wait on the daemon, e.g. for a reload) and come one at a time, on worker
 * threads, with a happens-before edge between consecutive calls, so an implementation needs no lock.
 */
public interface UnixSocketSession {

    /**
     * What to do after an input.
     *
     * @param reply bytes to send (may be empty); the server wipes it once sent or dropped
     * @param close whether to close the connection after sending {@code reply}
     */
    record Output(byte[] reply, boolean close) {
        /** Nothing to send yet; keep reading. */
        public static final Output MORE = new Output(new byte[0], false);
    }

    /** Consumes {@code in} (a part of a request, possibly several requests); never retains it. */
    Output receive(ByteBuffer in);

    /** The client closed its sending side; the connection is closed after the returned reply. */
    Output endOfInput();
}
