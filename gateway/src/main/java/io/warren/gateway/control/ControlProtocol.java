package io.warren.gateway.control;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The control protocol core: one request's bytes in, the reply's bytes out. Reads no socket and
 * starts no thread; the {@link ControlServer} shell feeds it. Never throws: malformed input, a
 * forbidden request and a failing backend all become error replies.
 */
public final class ControlProtocol {
    private static final Logger LOG = Logger.getLogger(ControlProtocol.class.getName());

    private final ControlBackend backend;

    public ControlProtocol(ControlBackend backend) {
        this.backend = backend;
    }

    /** Answers one request from {@code caller}. */
    public byte[] handle(byte[] request, Caller caller) {
        try {
            ControlRequest r = ControlCodec.decodeRequest(request);
            if (r.mutates() && !caller.privileged()) {
                throw new ControlFailure(ControlFailure.FORBIDDEN, "\"" + r.command()
                        + "\" needs root or the daemon's user; members of its group may only ask for status");
            }
            if (r.mutates()) {
                LOG.info("control: " + r.command() + " requested by " + caller.user());
            }
            return ControlCodec.encodeReply(ControlReply.success(ControlCodec.tree(dispatch(r))));
        } catch (ControlFailure f) {
            return ControlCodec.encodeReply(ControlReply.failure(f));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "control: request failed", e);
            return ControlCodec.encodeReply(ControlReply.failure(
                    new ControlFailure(ControlFailure.INTERNAL, "internal error: " + e.getClass().getSimpleName())));
        }
    }

    private Object dispatch(ControlRequest r) throws ControlFailure {
        if (r instanceof ControlRequest.Status) {
            return backend.status();
        }
        if (r instanceof ControlRequest.Reload) {
            return backend.reload();
        }
        return backend.addClient((ControlRequest.ClientAdd) r);
    }
}
