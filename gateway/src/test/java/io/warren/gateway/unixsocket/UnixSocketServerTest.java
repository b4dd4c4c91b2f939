package io.warren.gateway.unixsocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared socket shell on real Unix sockets in a temp dir, against hostile clients. The tests run
 * as one user, so most servers here name no privileged user: that user is then an unprivileged
 * group member with a share of the connections.
 */
class UnixSocketServerTest {
    private static final Duration IO = Duration.ofSeconds(2);
    private static final long SECOND = 1_000_000_000L;
    private static final String ME = System.getProperty("user.name");

    @TempDir
    Path dir;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeEverything() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    /** Answers each line {@code L} with {@code ok L}; {@code big} answers 4 MiB; {@code block} waits. */
    static final class LineSession implements UnixSocketSession {
        private final StringBuilder line = new StringBuilder();
        private final CountDownLatch release;

        LineSession(CountDownLatch release) {
            this.release = release;
        }

        @Override
        public Output receive(ByteBuffer in) {
            StringBuilder reply = new StringBuilder();
            boolean big = false;
            while (in.hasRemaining()) {
                char c = (char) in.get();
                if (c != '\n') {
                    line.append(c);
                    continue;
                }
                if (line.toString().equals("block")) {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return new Output(new byte[0], true);
                    }
                }
                big |= line.toString().equals("big");
                reply.append("ok ").append(line).append('\n');
                line.setLength(0);
            }
            byte[] out = reply.toString().getBytes(StandardCharsets.US_ASCII);
            return new Output(big ? new byte[4 << 20] : out, false);
        }

        @Override
        public Output endOfInput() {
            return new Output("bye\n".getBytes(StandardCharsets.US_ASCII), true);
        }
    }

    private final CountDownLatch release = new CountDownLatch(1);

    private UnixSocketServer start(UnixSocketServer.Limits limits, Set<String> privileged) throws IOException {
        Function<Peer, UnixSocketSession> sessions = peer -> new LineSession(release);
        UnixSocketServer server = UnixSocketServer.start(new UnixSocketServer.Settings(dir.resolve("t.sock"),
                "rw-rw----", 16, 2, limits, new UnixSocketServer.Timeouts(IO, IO, null), privileged, 4096,
                "test-sock", "test"), sessions);
        toClose.add(server);
        toClose.add(release::countDown);
        return server;
    }

    private UnixSocketServer start() throws IOException {
        return start(new UnixSocketServer.Limits(64, 16, 16), Set.of());
    }

    private SocketChannel connect(UnixSocketServer server) throws IOException {
        SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(server.path()));
        toClose.add(0, ch);
        return ch;
    }

    private static void send(SocketChannel ch, String text) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /** Reads one line. */
    private static String line(SocketChannel ch) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        ByteBuffer b = ByteBuffer.allocate(1);
        while (ch.read(b) > 0) {
            if (b.get(0) == '\n') {
                break;
            }
            got.write(b.get(0));
            b.clear();
        }
        return got.toString(StandardCharsets.US_ASCII);
    }

    /** Reads until EOF; returns the byte count, or -1 when the connection was reset. */
    private static long drain(SocketChannel ch) {
        ByteBuffer b = ByteBuffer.allocate(64 * 1024);
        long n = 0;
        try {
            for (int r; (r = ch.read(b)) >= 0; b.clear()) {
                n += r;
            }
            return n;
        } catch (IOException reset) {
            return -1;
        }
    }

    /** How long an honest exchange takes on a new connection, in nanoseconds. */
    private long honest(UnixSocketServer server) throws IOException {
        long t0 = System.nanoTime();
        SocketChannel ch = connect(server);
        send(ch, "hello\n");
        assertEquals("ok hello", line(ch));
        return System.nanoTime() - t0;
    }

    private static int openFds() throws IOException {
        return fds().size();
    }

    /** This process's open descriptors and what they are. */
    private static List<String> fds() throws IOException {
        List<String> out = new ArrayList<>();
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            for (Path p : (Iterable<Path>) s::iterator) {
                try {
                    out.add(p.getFileName() + "->" + Files.readSymbolicLink(p));
                } catch (IOException gone) {
                    // the directory stream's own descriptor, closed by now
                }
            }
        }
        return out;
    }

    @Test
    void fiftySilentConnectionsOfOneUserDoNotDelayAnHonestClientOfThatUser() throws Exception {
        UnixSocketServer server = start();
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            List<SocketChannel> silent = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                silent.add(connect(server));
            }
            Thread.sleep(100);
            assertTrue(honest(server) < SECOND, "answered within 1 s");
            assertEquals(0, drain(silent.get(0)), "the oldest silent ones made room");
        });
    }

    @Test
    void fiftySilentConnectionsOfAPrivilegedUserDoNotDelayAnotherOfItsRequests() throws Exception {
        UnixSocketServer server = start(new UnixSocketServer.Limits(64, 4, 8), Set.of(ME));
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            for (int i = 0; i < 50; i++) {
                connect(server);
            }
            Thread.sleep(100);
            assertTrue(honest(server) < SECOND, "answered within 1 s");
        });
    }

    @Test
    void aTricklingClientNeitherDelaysOthersNorOutlivesItsRequestDeadline() throws Exception {
        UnixSocketServer server = start();
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                List<Future<Long>> tricklers = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    SocketChannel ch = connect(server);
                    tricklers.add(pool.submit(() -> {
                        long t0 = System.nanoTime();
                        try {
                            while (System.nanoTime() - t0 < 6 * SECOND) {
                                send(ch, "x");
                                Thread.sleep(50);
                            }
                        } catch (IOException closed) {
                            return System.nanoTime() - t0;
                        }
                        return Long.MAX_VALUE;
                    }));
                }
                Thread.sleep(200);
                for (int i = 0; i < 5; i++) {
                    assertTrue(honest(server) < SECOND, "served at once while they trickle");
                }
                for (Future<Long> t : tricklers) {
                    long took = t.get(8, TimeUnit.SECONDS);
                    assertTrue(took < IO.toNanos() + SECOND / 2, "cut off at the request deadline: " + took);
                }
            } finally {
                pool.shutdownNow();
            }
        });
    }

    @Test
    void aClientThatNeverReadsItsReplyDelaysNobodyAndIsCutOffAtTheReplyDeadline() throws Exception {
        UnixSocketServer server = start();
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            List<SocketChannel> stubborn = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                SocketChannel ch = connect(server);
                send(ch, "big\n");
                stubborn.add(ch);
            }
            long t0 = System.nanoTime();
            assertTrue(honest(server) < SECOND, "served at once");
            Thread.sleep(IO.toMillis() + 300);
            for (SocketChannel ch : stubborn) {
                long got = drain(ch);
                assertTrue(got < 4 << 20, "closed before the whole reply was taken: " + got);
            }
            assertTrue(System.nanoTime() - t0 < 4 * SECOND);
        });
    }

    @Test
    void whenNothingCanBeDisplacedANewcomerIsClosedAtOnce() throws Exception {
        UnixSocketServer server = start(new UnixSocketServer.Limits(2, 2, 0), Set.of());
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            send(connect(server), "block\n");
            send(connect(server), "block\n");
            Thread.sleep(100);
            long t0 = System.nanoTime();
            assertEquals(0, drain(connect(server)), "closed without a word");
            assertTrue(System.nanoTime() - t0 < IO.toNanos() / 2, "at once");
        });
    }

    @Test
    void manyConnectCloseCyclesLeakNoFileDescriptors() throws Exception {
        UnixSocketServer server = start();
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            honest(server);
            int before = openFds();
            for (int i = 0; i < 500; i++) {
                try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(server.path()))) {
                    switch (i % 4) {
                        case 0 -> send(ch, "half a li");
                        case 1 -> send(ch, "a line\n");
                        case 2 -> send(ch, "big\n");
                        default -> { }
                    }
                } catch (IOException refused) {
                    // The storm outruns the per-user limit: the server may close a newcomer (or push out
                    // this user's oldest idle connection) before its bytes go, and the write sees EPIPE.
                }
            }
            int after = openFds();
            for (long end = System.nanoTime() + 3 * SECOND; after > before && System.nanoTime() < end;) {
                Thread.sleep(50);
                after = openFds();
            }
            assertTrue(after <= before, "fds before " + before + ", after " + after);
            assertTrue(honest(server) < SECOND);
        });
    }

    @Test
    void closeEndsEveryConnectionPromptlyAndReleasesEverything() throws Exception {
        start().close();
        List<String> before = fds();
        UnixSocketServer server = start();
        List<SocketChannel> clients = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            clients.add(connect(server));
        }
        send(clients.get(0), "block\n");
        send(clients.get(1), "big\n");
        send(clients.get(2), "partial");
        Thread.sleep(100);
        long t0 = System.nanoTime();
        server.close();
        assertTrue(System.nanoTime() - t0 < SECOND / 2, "closed in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        assertFalse(Files.exists(server.path(), LinkOption.NOFOLLOW_LINKS));
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
            for (SocketChannel ch : clients) {
                assertTrue(drain(ch) < 4 << 20, "every client sees the end");
                ch.close();
            }
        });
        List<String> after = fds();
        assertEquals(before.size(), after.size(), "no descriptor left behind: " + before + " " + after);
    }
}
