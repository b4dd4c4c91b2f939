package io.warren.gateway.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.gateway.cli.ControlClient;
import io.warren.gateway.cli.ControlException;
import io.warren.gateway.cli.ExitCodes;
import java.io.ByteArrayOutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The socket shell and the CLI's client against it, on a real AF_UNIX socket in a temp dir. */
class ControlServerTest {
    @TempDir
    Path dir;

    private ControlServer start(ControlBackend backend, Path socket) throws Exception {
        String me = System.getProperty("user.name");
        return ControlServer.start(new ControlServer.Config(socket, 2, 8, Duration.ofMillis(500), me),
                new ControlProtocol(backend));
    }

    @Test
    void socketIsGroupReadableOnlyAndServesTheCli() throws Exception {
        Path socket = dir.resolve("run/control.sock");
        ControlProtocolTest.FakeBackend backend = new ControlProtocolTest.FakeBackend();
        try (ControlServer server = start(backend, socket)) {
            assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
            assertEquals(List.of("control.sock"), Files.list(socket.getParent()).map(p -> p.getFileName().toString()).toList(),
                    "no staging directory left behind");
            SocketControlTransport transport = new SocketControlTransport(Duration.ofSeconds(5));
            try (ControlClient c = transport.connect(socket)) {
                String text = c.status(false);
                assertTrue(text.startsWith("interface: wg0\n  public key: PUB\n  listening port: 51820\n"), text);
                assertTrue(c.status(true).contains("\"listen_port\" : 51820"));
                assertEquals("reloaded:\n  peers of wg0: +1 -0 ~0", c.reload());
                backend.reload = new ReloadReport(false, List.of("warren.toml:3: interface \"wg0\".mtu: too small"));
                ControlException refused = assertThrows(ControlException.class, c::reload);
                assertEquals(ExitCodes.INVALID, refused.exitCode());
                assertTrue(refused.getMessage().contains("warren.toml:3: interface \"wg0\".mtu: too small"));
                assertTrue(refused.getMessage().startsWith("reload refused; the running configuration is unchanged"));
                backend.reload = new ReloadReport(false, false,
                        List.of("reload: tunnels not applied: warren.toml:9: tunnel \"gre-a\": cannot open"));
                ControlException partial = assertThrows(ControlException.class, c::reload);
                assertEquals(ExitCodes.INVALID, partial.exitCode());
                assertTrue(partial.getMessage().startsWith("reloaded in part; these did not apply (the rest did):\n  reload: tunnels"),
                        partial.getMessage());
            }
        }
        assertTrue(Files.notExists(socket), "close removes the socket");
    }

    @Test
    void staleSocketIsReplacedLiveOneIsNot() throws Exception {
        Path socket = dir.resolve("control.sock");
        try (ServerSocketChannel crashed = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            crashed.bind(UnixDomainSocketAddress.of(socket));
        }
        assertTrue(Files.exists(socket), "a dead socket file remains, as after a crash");
        try (ControlServer server = start(new ControlProtocolTest.FakeBackend(), socket)) {
            assertThrows(FileAlreadyExistsException.class, () -> start(new ControlProtocolTest.FakeBackend(), socket));
            assertTrue(exchange(socket, "{\"command\":\"status\"}\n").contains("\"ok\":true"));
        }
        Files.writeString(socket, "not a socket");
        assertThrows(FileAlreadyExistsException.class, () -> start(new ControlProtocolTest.FakeBackend(), socket));
    }

    @Test
    void oversizedGarbageAndSilentClientsDoNotHurtTheServer() throws Exception {
        Path socket = dir.resolve("control.sock");
        try (ControlServer server = start(new ControlProtocolTest.FakeBackend(), socket)) {
            String big = "x".repeat(ControlCodec.MAX_REQUEST + 10);
            assertTrue(exchange(socket, big).contains("\"code\":\"bad-request\""));
            assertTrue(exchange(socket, "\u0000\u00ff garbage\n").contains("request is not JSON"));
            // A client that connects and says nothing is dropped after the I/O timeout.
            try (SocketChannel silent = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
                ByteBuffer b = ByteBuffer.allocate(16);
                long t0 = System.nanoTime();
                assertEquals(-1, silent.read(b));
                assertTrue(System.nanoTime() - t0 < 3_000_000_000L);
            }
            assertTrue(exchange(socket, "{\"command\":\"status\"}").contains("\"ok\":true"), "EOF ends a request too");
        }
    }

    @Test
    void unreachableDaemonIsReportedWithExitThree() {
        SocketControlTransport transport = new SocketControlTransport(Duration.ofSeconds(1));
        ControlException e = assertThrows(ControlException.class, () -> transport.connect(dir.resolve("none.sock")));
        assertEquals(ExitCodes.UNAVAILABLE, e.exitCode());
        assertTrue(e.getMessage().startsWith("cannot reach the daemon at " + dir.resolve("none.sock")));
    }

    static String exchange(Path socket, String request) throws Exception {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            ch.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8)));
            ch.shutdownOutput();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer b = ByteBuffer.allocate(4096);
            while (ch.read(b) >= 0) {
                out.write(b.array(), 0, b.position());
                b.clear();
            }
            return out.toString(StandardCharsets.UTF_8);
        }
    }
}
