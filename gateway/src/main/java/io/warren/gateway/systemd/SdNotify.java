package io.warren.gateway.systemd;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import jnr.unixsocket.UnixDatagramChannel;
import jnr.unixsocket.UnixSocketAddress;

/**
 * Sends {@link NotifyMessage}s to the service manager over {@code $NOTIFY_SOCKET}
 * (sd_notify(3)): one {@code AF_UNIX} datagram per message, a path or an abstract socket
 * (a leading {@code @} stands for the NUL byte).
 *
 * <p>Outside systemd ({@code NOTIFY_SOCKET} unset) {@link #send} does nothing and returns false.
 * A failure to send is logged once at FINE and never thrown: readiness notification must not take
 * the gateway down.
 */
public final class SdNotify implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SdNotify.class.getName());

    private final UnixSocketAddress target;
    private UnixDatagramChannel channel;

    private SdNotify(UnixSocketAddress target) {
        this.target = target;
    }

    /** From the environment: {@code NOTIFY_SOCKET}, or a no-op notifier when it is unset. */
    public static SdNotify fromEnvironment() {
        return forSocket(System.getenv("NOTIFY_SOCKET"));
    }

    /** For a given socket path ({@code @name} for an abstract socket); null or empty gives a no-op. */
    public static SdNotify forSocket(String socket) {
        return new SdNotify(parseAddress(socket).orElse(null));
    }

    static Optional<UnixSocketAddress> parseAddress(String socket) {
        if (socket == null || socket.isEmpty()) {
            return Optional.empty();
        }
        if (socket.charAt(0) == '@') {
            return Optional.of(new UnixSocketAddress("\0" + socket.substring(1)));
        }
        if (socket.charAt(0) != '/') {
            return Optional.empty();
        }
        return Optional.of(new UnixSocketAddress(socket));
    }

    /** True when a service manager is listening (NOTIFY_SOCKET was set to a usable address). */
    public boolean enabled() {
        return target != null;
    }

    /** Sends the message; true when it was handed to the socket. */
    public synchronized boolean send(NotifyMessage message) {
        if (target == null) {
            return false;
        }
        try {
            if (channel == null) {
                channel = UnixDatagramChannel.open();
            }
            channel.send(ByteBuffer.wrap(message.encode()), target);
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "sd_notify failed: " + e.getMessage());
            return false;
        }
    }

    @Override
    public synchronized void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.log(Level.FINE, "closing the notify socket: " + e.getMessage());
            }
            channel = null;
        }
    }
}
