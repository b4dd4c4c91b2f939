package io.warren.gateway.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile clients on the control socket: trickling requests, replies nobody reads, floods,
 * oversized and ambiguous requests. The daemon must keep serving honest clients throughout.
 */
class ControlHostileTest {
    private static final Duration IO_TIMEOUT = Duration.ofMillis(500);
    private static final Caller GROUP_MEMBER = new Caller("alice", false);
    private static final Caller ROOT = new Caller("root", true);

    @TempDir
    Path dir;

    private ControlServer start(ControlBackend backend) throws Exception {
        return ControlServer.start(new ControlServer.Config(dir.resolve("control.sock"), 2, 8, IO_TIMEOUT,
                System.getProperty("user.name")), new ControlProtocol(backend));
    }

    /** A backend whose status reply is about {@code bytes} long. */
    private static ControlBackend bigStatus(int bytes) {
        List<String> addresses = Collections.nCopies(bytes / 16, "10.123.234.1/24");
        return new ControlProtocolTest.FakeBackend() {
            @Override
            public StatusReport status() {
                return new StatusReport(1L, List.of(new StatusReport.Interface("wg0", "PUB", 51820, addresses,
                        List.of(), Map.of())), List.of(), List.of(), List.of());
            }
        };
    }

    private static boolean honestStatusWithin(Path socket, long millis) throws Exception {
        long t0 = System.nanoTime();
        String reply = ControlServerTest.exchange(socket, "{\"command\":\"status\"}\n");
        return reply.contains("\"ok\":true") && System.nanoTime() - t0 < millis * 1_000_000L;
    }

    /** Sends one byte every {@code gapMillis} until the server closes; returns how long that took. */
    private static long trickle(Path socket, long gapMillis, long giveUpMillis) throws Exception {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            long t0 = System.nanoTime();
            byte[] request = "{\"command\":\"status\"}".getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; System.nanoTime() - t0 < giveUpMillis * 1_000_000L; i++) {
                try {
                    ch.write(ByteBuffer.wrap(request, i % request.length, 1));
                } catch (IOException closed) {
                    return (System.nanoTime() - t0) / 1_000_000L;
                }
                Thread.sleep(gapMillis);
            }
            return giveUpMillis;
        }
    }

    @Test
    void aClientThatTricklesItsRequestIsCutOffAndDoesNotBlockOthers() throws Exception {
        try (ControlServer server = start(new ControlProtocolTest.FakeBackend())) {
            Path socket = server.socketPath();
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                // two tricklers take both workers: one byte every 200 ms, always inside the I/O timeout
                Future<Long> a = pool.submit(() -> trickle(socket, 200, 6_000));
                Future<Long> b = pool.submit(() -> trickle(socket, 200, 6_000));
                Thread.sleep(300);
                assertTrue(honestStatusWithin(socket, 3_000), "an honest client is served while they trickle");
                assertTrue(a.get(10, TimeUnit.SECONDS) < 3_000, "the whole request must arrive within the I/O timeout");
                assertTrue(b.get(10, TimeUnit.SECONDS) < 3_000);
            } finally {
                pool.shutdownNow();
            }
            assertTrue(honestStatusWithin(socket, 2_000));
        }
    }

    @Test
    void fiftySilentClientsDoNotDelayAnHonestOne() throws Exception {
        ControlServer.Config config = new ControlServer.Config(dir.resolve("control.sock"), 2, 64,
                Duration.ofSeconds(5), System.getProperty("user.name"));
        try (ControlServer server = ControlServer.start(config, new ControlProtocol(new ControlProtocolTest.FakeBackend()))) {
            List<SocketChannel> silent = new ArrayList<>();
            try {
                for (int i = 0; i < 50; i++) {
                    silent.add(SocketChannel.open(UnixDomainSocketAddress.of(server.socketPath())));
                }
                Thread.sleep(100);
                assertTrue(honestStatusWithin(server.socketPath(), 1_000), "answered within 1 s, long before 5 s");
                assertTrue(honestStatusWithin(server.socketPath(), 1_000));
            } finally {
                for (SocketChannel ch : silent) {
                    ch.close();
                }
            }
        }
    }

    /** Asks for status and then reads 4 KiB every {@code gapMillis}; returns how long until EOF. */
    private static long slowReader(Path socket, long gapMillis, long giveUpMillis) throws Exception {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            ch.write(ByteBuffer.wrap("{\"command\":\"status\"}\n".getBytes(StandardCharsets.US_ASCII)));
            long t0 = System.nanoTime();
            ByteBuffer b = ByteBuffer.allocate(4096);
            while (System.nanoTime() - t0 < giveUpMillis * 1_000_000L) {
                b.clear();
                if (ch.read(b) < 0) {
                    return (System.nanoTime() - t0) / 1_000_000L;
                }
                Thread.sleep(gapMillis);
            }
            return giveUpMillis;
        }
    }

    @Test
    void aClientThatStopsReadingItsReplyIsCutOffAndDoesNotBlockOthers() throws Exception {
        try (ControlServer server = start(bigStatus(8 * 1024 * 1024))) {
            Path socket = server.socketPath();
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                // 4 KiB every 5 ms: every single wait for room is short, the whole reply takes > 10 s
                Future<Long> a = pool.submit(() -> slowReader(socket, 5, 8_000));
                Future<Long> b = pool.submit(() -> slowReader(socket, 5, 8_000));
                assertTrue(a.get(15, TimeUnit.SECONDS) < 4_000, "the reply must be taken within the I/O timeout");
                assertTrue(b.get(15, TimeUnit.SECONDS) < 4_000);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void anEndlessRequestIsRefusedWithoutBeingBuffered() throws Exception {
        try (ControlServer server = start(new ControlProtocolTest.FakeBackend());
             SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(server.socketPath()))) {
            ch.configureBlocking(false);
            ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
            long written = 0;
            long t0 = System.nanoTime();
            long lastProgress = t0;
            while (System.nanoTime() - lastProgress < 1_000_000_000L && written < 64L * 1024 * 1024) {
                chunk.clear();
                int n;
                try {
                    n = ch.write(chunk);
                } catch (IOException closed) {
                    break;
                }
                if (n > 0) {
                    written += n;
                    lastProgress = System.nanoTime();
                } else {
                    Thread.sleep(5);
                }
            }
            assertTrue(written < 4L * 1024 * 1024, "the server stopped reading after the limit: " + written);
        }
    }

    @Test
    void aFloodOfClientsIsServedOrClosedAndTheServerStaysUp() throws Exception {
        try (ControlServer server = start(new ControlProtocolTest.FakeBackend())) {
            Path socket = server.socketPath();
            ExecutorService pool = Executors.newFixedThreadPool(32);
            List<Future<String>> replies = new ArrayList<>();
            try {
                for (int i = 0; i < 200; i++) {
                    replies.add(pool.submit(() -> {
                        try {
                            return ControlServerTest.exchange(socket, "{\"command\":\"status\"}\n");
                        } catch (IOException refused) {
                            return "";
                        }
                    }));
                }
                int ok = 0;
                for (Future<String> f : replies) {
                    String r = f.get(20, TimeUnit.SECONDS);
                    assertTrue(r.isEmpty() || r.contains("\"ok\":true"), r);
                    ok += r.isEmpty() ? 0 : 1;
                }
                assertTrue(ok > 0);
            } finally {
                pool.shutdownNow();
            }
            assertTrue(honestStatusWithin(socket, 2_000));
        }
    }

    private static JsonNode ask(String request, Caller caller) throws Exception {
        return ask(request.getBytes(StandardCharsets.UTF_8), caller);
    }

    private static JsonNode ask(byte[] request, Caller caller) throws Exception {
        ControlProtocolTest.FakeBackend backend = new ControlProtocolTest.FakeBackend();
        byte[] reply = new ControlProtocol(backend).handle(request, caller);
        assertEquals('\n', reply[reply.length - 1]);
        String text = new String(reply, 0, reply.length - 1, StandardCharsets.UTF_8);
        assertFalse(text.contains("\n"), "one line: " + text);
        return ControlCodec.MAPPER.readTree(text);
    }

    @Test
    void badBytesAndInjectedNamesGiveOneWellFormedErrorLine() throws Exception {
        List<byte[]> rows = List.of(
                new byte[] {(byte) 0xff, (byte) 0xfe, '{', '}'},
                "{\"command\":\"sta\u0000tus\"}".getBytes(StandardCharsets.UTF_8), // raw NUL inside a string
                new byte[] {'{', '"', 'c', 'o', 'm', 'm', 'a', 'n', 'd', '"', ':', '"', (byte) 0xc3, '"', '}'}, // bad UTF-8
                "{\"command\":\"status".getBytes(StandardCharsets.UTF_8), // cut
                "[\"status\"]".getBytes(StandardCharsets.UTF_8),
                new byte[0],
                "{\"command\":\"st\\u0000\\n\\\"},{\\\"ok\\\":true\"}".getBytes(StandardCharsets.UTF_8));
        for (byte[] row : rows) {
            JsonNode r = ask(row, ROOT);
            assertFalse(r.get("ok").asBoolean(), new String(row, StandardCharsets.ISO_8859_1));
            assertEquals("bad-request", r.at("/error/code").asText());
        }
        JsonNode injected = ask("{\"command\":\"x\\\"},\\\"ok\\\":true,\\\"y\\\":{\\\"\"}", ROOT);
        assertFalse(injected.get("ok").asBoolean());
        assertTrue(injected.at("/error/message").asText().contains("x\"},\"ok\":true"), "echoed as data, not as JSON");
    }

    @Test
    void deeplyNestedOrHugeValuesAreRefusedWithoutTrouble() throws Exception {
        int depth = (ControlCodec.MAX_REQUEST - 40) / 2;
        for (String row : List.of(
                "{\"command\":\"status\",\"a\":" + "[".repeat(depth) + "]".repeat(depth) + "}",
                "{\"command\":\"status\",\"a\":" + "{\"b\":".repeat(depth / 6) + "1" + "}".repeat(depth / 6) + "}",
                "{\"command\":\"status\",\"a\":1" + "0".repeat(depth) + "}",
                "{\"command\":\"status\",\"a\":1e999999999}")) {
            JsonNode r = ask(row, ROOT);
            assertFalse(r.get("ok").asBoolean(), row.substring(0, Math.min(40, row.length())));
            assertEquals("bad-request", r.at("/error/code").asText());
        }
    }

    @Test
    void ambiguousRequestsAreRefused() throws Exception {
        // RFC 8259 §4: with duplicate names, receivers disagree on which one counts; a strict
        // decoder refuses them, and anything after the object
        for (String row : List.of(
                "{\"command\":\"reload\",\"command\":\"status\"}",
                "{\"command\":\"status\",\"command\":\"reload\"}",
                "{\"command\":\"client-add\",\"name\":\"a\",\"name\":\"b\"}",
                "{\"command\":\"status\"} {\"command\":\"reload\"}",
                "{\"command\":\"status\"}]",
                "{\"command\":\"status\"} x")) {
            JsonNode r = ask(row, ROOT);
            assertFalse(r.get("ok").asBoolean(), row);
            assertEquals("bad-request", r.at("/error/code").asText(), row);
        }
        assertTrue(ask("{\"command\":\"status\"}  \r\n", GROUP_MEMBER).get("ok").asBoolean(), "white space is fine");
    }
}
