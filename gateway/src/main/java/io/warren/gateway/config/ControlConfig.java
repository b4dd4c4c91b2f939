package io.warren.gateway.config;

import java.nio.file.Path;

/**
 * {@code [control]}: the local control socket used by {@code warren status}, {@code reload} and
 * {@code client add}.
 *
 * @param socket path of the AF_UNIX socket
 */
public record ControlConfig(Path socket) {

    /** Default socket path (under the RuntimeDirectory of the systemd unit). */
    public static final Path DEFAULT_SOCKET = Path.of("/run/warren/control.sock");

    /** The default. */
    public static final ControlConfig DEFAULT = new ControlConfig(DEFAULT_SOCKET);
}
