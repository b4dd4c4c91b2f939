package io.warren.gateway.uapi;

import io.warren.gateway.unixsocket.UnixSocketSession;
import java.nio.ByteBuffer;

/** Plugs a {@link UapiSession} into the {@link io.warren.gateway.unixsocket.UnixSocketServer}. */
final class UapiSocketSession implements UnixSocketSession {
    private final UapiSession session;

    UapiSocketSession(UapiSession session) {
        this.session = session;
    }

    @Override
    public Output receive(ByteBuffer in) {
        return adapt(session.receive(in));
    }

    @Override
    public Output endOfInput() {
        return adapt(session.endOfInput());
    }

    private Output adapt(UapiSession.Output out) {
        return new Output(out.reply(), out.close() || session.isClosed());
    }
}
