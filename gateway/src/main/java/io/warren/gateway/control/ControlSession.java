package io.warren.gateway.control;

import io.warren.gateway.unixsocket.UnixSocketSession;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * One control connection, sans I/O: collects one request (up to a newline or the client's end of
 * output, at most {@link ControlCodec#MAX_REQUEST} bytes), has the {@link ControlProtocol} answer
 * it, and closes after the reply. A request over the limit is refused as soon as the limit is
 * passed, without buffering the rest. Driven by a {@link io.warren.gateway.unixsocket.UnixSocketServer}
 * (one call at a time).
 */
final class ControlSession implements UnixSocketSession {
    private final ControlProtocol protocol;
    private final Caller caller;
    private final ByteArrayOutputStream got = new ByteArrayOutputStream();

    ControlSession(ControlProtocol protocol, Caller caller) {
        this.protocol = protocol;
        this.caller = caller;
    }

    @Override
    public Output receive(ByteBuffer in) {
        int newline = -1;
        for (int i = in.position(); i < in.limit(); i++) {
            if (in.get(i) == '\n') {
                newline = i;
                break;
            }
        }
        int take = (newline >= 0 ? newline : in.limit()) - in.position();
        if (got.size() + take > ControlCodec.MAX_REQUEST) {
            return new Output(ControlCodec.encodeReply(ControlReply.failure(new ControlFailure(
                    ControlFailure.BAD_REQUEST, "request larger than " + ControlCodec.MAX_REQUEST
                            + " bytes or not terminated"))), true);
        }
        byte[] part = new byte[take];
        in.get(part);
        got.writeBytes(part);
        in.position(in.limit());
        return newline >= 0 ? answer() : Output.MORE;
    }

    @Override
    public Output endOfInput() {
        return answer();
    }

    private Output answer() {
        return new Output(protocol.handle(got.toByteArray(), caller), true);
    }
}
