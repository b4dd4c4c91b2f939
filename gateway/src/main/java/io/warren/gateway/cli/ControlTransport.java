package io.warren.gateway.cli;

import java.nio.file.Path;

/**
 * Opens a client to a running daemon's control socket. The socket implementation is wired by the
 * control package; {@link #UNWIRED} reports that it is missing.
 */
@FunctionalInterface
public interface ControlTransport {

    /** Connects to the daemon listening on {@code socket}. */
    ControlClient connect(Path socket) throws ControlException;

    /** Placeholder until the control socket client exists. */
    ControlTransport UNWIRED = socket -> {
        throw new ControlException("cannot reach the daemon at " + socket + ": control client not wired in this build");
    };
}
