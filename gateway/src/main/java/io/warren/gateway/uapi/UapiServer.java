package io.warren.gateway.uapi;

import io.warren.gateway.unixsocket.UnixSocketServer;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The UAPI socket shell: listens on {@code <dir>/<iface>.sock} (normally {@code /var/run/wireguard}),
 * and serves each connection with a {@link UapiSession} against the given {@link UapiDevice}.
 *
 * <p>Threads ({@link UnixSocketServer}): one I/O thread that never waits on a client, and
 * {@link Config#workers()} worker threads that only run sessions, so a stalled {@code wg} (or anything
 * else) holds no thread and cannot starve {@code wg show}. At most {@code workers + queue}
 * connections are open; a newcomer beyond that displaces the oldest connection waiting on its client,
 * or is closed at once when none is. Memory: per connection one 16 KiB read chunk, the session's
 * bounded request ({@link UapiLimits}) and one reply, so at most {@code (workers + queue) x
 * (16 KiB + maxRequestBytes + reply)}; only root (mode 0600) can take it. Socket file creation and
 * removal: see {@link io.warren.gateway.unixsocket.UnixSocketFile} (mode 0600, no permission race,
 * stale files replaced only when dead). {@link #close()} stops accepting,
 * ends the workers and removes the socket file; it is idempotent.
 */
public final class UapiServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(UapiServer.class.getName());
    /** Linux interface names: 1..15 bytes (IFNAMSIZ 16), no '/', no whitespace, not "." or "..". */
    private static final int READ_CHUNK = 16 * 1024;
    private static final Pattern IFACE = Pattern.compile("[\\x21-\\x7e&&[^/:]]{1,15}");

    /** The default directory, shared with wireguard-go and searched by {@code wg}. */
    public static final Path DEFAULT_DIR = Path.of("/var/run/wireguard");

    /**
     * Server settings.
     *
     * @param socketDir where {@code <iface>.sock} goes
     * @param interfaceName the WireGuard interface name (what {@code wg show NAME} takes)
     * @param workers worker threads (requests processed at once)
     * @param queue connections allowed open beyond {@code workers}
     * @param idleTimeout longest wait for a client to send or receive anything
     * @param connectionTimeout longest life of one connection (and so of one request or reply)
     * @param limits line and request size bounds
     */
    public record Config(Path socketDir, String interfaceName, int workers, int queue, Duration idleTimeout,
            Duration connectionTimeout, UapiLimits limits) {

        public Config {
            Objects.requireNonNull(socketDir, "socketDir");
            if (!IFACE.matcher(interfaceName).matches() || interfaceName.equals(".") || interfaceName.equals("..")) {
                throw new IllegalArgumentException("not a valid interface name: " + interfaceName);
            }
            if (workers < 1 || queue < 1) {
                throw new IllegalArgumentException("need workers >= 1 and queue >= 1");
            }
            if (idleTimeout.isNegative() || idleTimeout.isZero() || connectionTimeout.compareTo(idleTimeout) < 0) {
                throw new IllegalArgumentException("need 0 < idleTimeout <= connectionTimeout");
            }
            Objects.requireNonNull(limits, "limits");
        }

        /** Defaults for {@code iface} in {@link #DEFAULT_DIR}: 4 workers, 16 queued, 5 s idle, 30 s total. */
        public static Config defaults(String iface) {
            return new Config(DEFAULT_DIR, iface, 4, 16, Duration.ofSeconds(5), Duration.ofSeconds(30),
                    UapiLimits.DEFAULT);
        }

        /** The same settings with another socket directory (tests). */
        public Config withSocketDir(Path dir) {
            return new Config(dir, interfaceName, workers, queue, idleTimeout, connectionTimeout, limits);
        }
    }

    private final UnixSocketServer server;

    private UapiServer(UnixSocketServer server) {
        this.server = server;
    }

    /**
     * Binds the socket and starts serving.
     *
     * @throws java.nio.file.FileAlreadyExistsException if another live process serves this interface
     * @throws IOException if the directory or socket cannot be created
     */
    public static UapiServer start(Config config, UapiDevice device) throws IOException {
        Objects.requireNonNull(device, "device");
        int connections = config.workers() + config.queue();
        Set<String> privileged = new HashSet<>(Set.of("root"));
        privileged.add(System.getProperty("user.name"));
        UnixSocketServer server = UnixSocketServer.start(
                new UnixSocketServer.Settings(config.socketDir().resolve(config.interfaceName() + ".sock"),
                        "rw-------", 64, config.workers(),
                        new UnixSocketServer.Limits(connections, connections, 0),
                        new UnixSocketServer.Timeouts(config.idleTimeout(), config.connectionTimeout(),
                                config.connectionTimeout()),
                        privileged, READ_CHUNK, "uapi-" + config.interfaceName(), "UAPI"),
                peer -> new UapiSocketSession(new UapiSession(device, config.limits())));
        LOG.log(Level.INFO, "UAPI listening on {0}", server.path());
        return new UapiServer(server);
    }

    /** Where {@code wg} finds this interface. */
    public Path socketPath() {
        return server.path();
    }

    /** Stops accepting, ends every connection, removes the socket file. */
    @Override
    public void close() throws IOException {
        server.close();
    }
}
