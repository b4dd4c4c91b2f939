package io.warren.gateway.uapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The socket shell on a real Unix socket in a private temporary directory. */
class UapiServerTest {
    private static final Duration IDLE = Duration.ofMillis(1000);

    @TempDir
    Path tmp;

    private final FakeUapiDevice device = new FakeUapiDevice(UapiFixtures.populated());
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeEverything() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private UapiServer.Config config(Path dir, int workers, int queue) {
        return new UapiServer.Config(dir, "wutest0", workers, queue, IDLE, Duration.ofSeconds(3), UapiLimits.DEFAULT);
    }

    private UapiServer start(UapiServer.Config config) throws IOException {
        UapiServer server = UapiServer.start(config, device);
        toClose.add(server);
        return server;
    }

    private SocketChannel connect(Path socket) throws IOException {
        SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        toClose.add(ch);
        return ch;
    }

    /** Sends a request and reads until the errno trailer or end of stream. */
    private static String exchange(SocketChannel ch, String request) throws IOException {
        ch.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
        return readReply(ch);
    }

    private static String readReply(SocketChannel ch) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(4096);
        while (!got.toString(StandardCharsets.US_ASCII).matches("(?s)(.*\n)?errno=-?\\d+\n\n")) {
            buf.clear();
            if (ch.read(buf) < 0) {
                break;
            }
            got.write(buf.array(), 0, buf.position());
        }
        return got.toString(StandardCharsets.US_ASCII);
    }

    private static int mode(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    }

    @Test
    void createsDirectory0755AndSocket0600AndRemovesTheSocketOnClose() throws Exception {
        Path dir = tmp.resolve("run/wireguard");
        UapiServer server = start(config(dir, 2, 2));
        assertEquals(dir.resolve("wutest0.sock"), server.socketPath());
        assertEquals(0755, mode(dir) & 07777);
        assertEquals(0140600, mode(server.socketPath()), "a socket, mode 0600");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(server.socketPath()), files.toList(), "no staging directory left behind");
        }
        server.close();
        assertFalse(Files.exists(server.socketPath(), LinkOption.NOFOLLOW_LINKS));
        server.close();
    }

    @Test
    void answersGetAndSetAndSeveralRequestsPerConnection() throws Exception {
        UapiServer server = start(config(tmp, 2, 2));
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            SocketChannel ch = connect(server.socketPath());
            String get = exchange(ch, "get=1\n\n");
            assertTrue(get.startsWith("private_key=" + UapiFixtures.privateKey().toHex() + "\nlisten_port=51820\n"));
            assertTrue(get.endsWith("allowed_ip=10.9.0.1/32\nerrno=0\n\n"), get);
            assertEquals("errno=0\n\n", exchange(ch, "set=1\nlisten_port=4000\n\n"));
            assertEquals(4000, device.state().listenPort());
            assertEquals("errno=-22\n\n", exchange(ch, "set=1\nlisten_port=70000\n\n"));
            assertEquals("", exchange(ch, "bogus=1\n\n"), "unknown operation: closed, no answer");
        });
    }

    @Test
    void aStaleSocketFromACrashedRunIsReplaced() throws Exception {
        Path stale = tmp.resolve("wutest0.sock");
        try (ServerSocketChannel crashed = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            crashed.bind(UnixDomainSocketAddress.of(stale));
        }
        assertTrue(Files.exists(stale, LinkOption.NOFOLLOW_LINKS), "the JDK leaves the file on close");
        UapiServer server = start(config(tmp, 2, 2));
        assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertTrue(exchange(connect(server.socketPath()), "get=1\n\n").endsWith("errno=0\n\n")));
    }

    @Test
    void aLiveSocketIsNeverReplaced() throws Exception {
        UapiServer first = start(config(tmp, 2, 2));
        assertThrows(FileAlreadyExistsException.class, () -> start(config(tmp, 2, 2)));
        assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertTrue(exchange(connect(first.socketPath()), "get=1\n\n").endsWith("errno=0\n\n")));
        try (Stream<Path> files = Files.list(tmp)) {
            assertEquals(1, files.count(), "the failed start left no staging directory");
        }
    }

    @Test
    void aRegularFileInTheWayIsNeverReplaced() throws Exception {
        Path file = Files.writeString(tmp.resolve("wutest0.sock"), "not a socket");
        assertThrows(FileAlreadyExistsException.class, () -> start(config(tmp, 2, 2)));
        assertEquals("not a socket", Files.readString(file));
    }

    @Test
    void stalledClientsDoNotBlockOthersAndAreDroppedAfterTheIdleTimeout() throws Exception {
        UapiServer server = start(config(tmp, 2, 4));
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            SocketChannel staller = connect(server.socketPath());
            staller.write(ByteBuffer.wrap("set=1\nlisten_port=9".getBytes(StandardCharsets.US_ASCII)));
            long t0 = System.nanoTime();
            assertTrue(exchange(connect(server.socketPath()), "get=1\n\n").endsWith("errno=0\n\n"));
            assertTrue(System.nanoTime() - t0 < IDLE.toNanos(), "served while the staller still waits");
            assertEquals("", readReply(staller), "the staller is closed without a reply");
            assertTrue(System.nanoTime() - t0 >= IDLE.toNanos() / 2);
            assertEquals(51820, device.state().listenPort(), "the stalled set applied nothing");
        });
    }

    @Test
    void whenEveryWorkerIsStalledTheNextClientWaitsAtMostTheIdleTimeout() throws Exception {
        UapiServer server = start(config(tmp, 1, 4));
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            connect(server.socketPath()).write(ByteBuffer.wrap("get=1\n".getBytes(StandardCharsets.US_ASCII)));
            Thread.sleep(50);
            long t0 = System.nanoTime();
            assertTrue(exchange(connect(server.socketPath()), "get=1\n\n").endsWith("errno=0\n\n"));
            assertTrue(System.nanoTime() - t0 < IDLE.toNanos() * 3);
        });
    }

    @Test
    void overTheConnectionLimitTheOldestWaitingConnectionMakesRoomAtOnce() throws Exception {
        UapiServer server = start(config(tmp, 1, 1));
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            SocketChannel first = connect(server.socketPath());
            first.write(ByteBuffer.wrap("se".getBytes(StandardCharsets.US_ASCII)));
            Thread.sleep(50);
            connect(server.socketPath());
            Thread.sleep(50);
            long t0 = System.nanoTime();
            assertTrue(exchange(connect(server.socketPath()), "get=1\n\n").endsWith("errno=0\n\n"));
            assertEquals("", readReply(first), "the oldest waiting connection was closed to make room");
            assertTrue(System.nanoTime() - t0 < IDLE.toNanos(), "at once, not after its timeout");
        });
    }

    @Test
    void fiftySilentConnectionsDoNotStarveWgShow() throws Exception {
        UapiServer server = start(config(tmp, 4, 16));
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            for (int i = 0; i < 50; i++) {
                connect(server.socketPath());
            }
            Thread.sleep(100);
            long t0 = System.nanoTime();
            assertTrue(exchange(connect(server.socketPath()), "get=1\n\n").endsWith("errno=0\n\n"));
            assertTrue(System.nanoTime() - t0 < 1_000_000_000L, "answered within 1 s");
        });
    }

    @Test
    void garbageWithoutNewlinesIsCutOffByTheLineLimit() throws Exception {
        UapiServer server = start(config(tmp, 2, 2));
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            SocketChannel ch = connect(server.socketPath());
            ByteBuffer junk = ByteBuffer.wrap(new byte[70 * 1024]);
            try {
                while (junk.hasRemaining()) {
                    ch.write(junk);
                }
            } catch (IOException closedByServer) {
                // The server may close before all of it is written: that is the point.
            }
            assertEquals("", readReply(ch));
        });
    }

    @Test
    void closeEndsStalledConnectionsQuickly() throws Exception {
        UapiServer server = start(config(tmp, 2, 2));
        SocketChannel staller = connect(server.socketPath());
        staller.write(ByteBuffer.wrap("set=1\n".getBytes(StandardCharsets.US_ASCII)));
        Thread.sleep(50);
        assertTimeoutPreemptively(Duration.ofMillis(IDLE.toMillis() / 2 + 300), server::close);
        assertFalse(Files.exists(server.socketPath(), LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void closeLeavesASuccessorsSocketAlone() throws Exception {
        UapiServer server = start(config(tmp, 2, 2));
        Path other = tmp.resolve("other.sock");
        try (ServerSocketChannel successor = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            successor.bind(UnixDomainSocketAddress.of(other));
            Files.move(other, server.socketPath(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            server.close();
            assertTrue(Files.exists(server.socketPath(), LinkOption.NOFOLLOW_LINKS));
        } finally {
            Files.deleteIfExists(server.socketPath());
        }
    }

    @Test
    void invalidInterfaceNamesAreRefused() {
        for (String bad : List.of("", "a/b", "sixteen-chars-xx", "..", "with space")) {
            assertThrows(IllegalArgumentException.class, () -> UapiServer.Config.defaults(bad), bad);
        }
        assertEquals("wg0", UapiServer.Config.defaults("wg0").interfaceName());
    }
}
