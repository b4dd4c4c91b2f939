package io.warren.gateway.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.gateway.cli.ExitCodes;
import io.warren.gateway.config.ConfigDiff;
import io.warren.gateway.config.ConfigLoader;
import io.warren.gateway.config.WarrenConfig;
import io.warren.gateway.systemd.SdNotify;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import jnr.unixsocket.UnixDatagramChannel;
import jnr.unixsocket.UnixSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WarrenDaemonTest {
    private static final String VALID = "[metrics]\nenabled = false\n";

    /** Records the calls the daemon makes. */
    static final class RecordingService implements Service {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final String name;
        final boolean failStart;

        RecordingService(String name, boolean failStart) {
            this.name = name;
            this.failStart = failStart;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void start(WarrenConfig config) {
            calls.add("start");
            if (failStart) {
                throw new IllegalStateException("port 9587 in use");
            }
        }

        @Override
        public void apply(WarrenConfig previous, WarrenConfig next, ConfigDiff diff) {
            calls.add("apply:" + (diff.isEmpty() ? "same" : "changed"));
        }

        @Override
        public void close() {
            calls.add("close");
        }
    }

    private static String receive(UnixDatagramChannel ch) throws Exception {
        ByteBuffer buf = ByteBuffer.allocate(1024);
        ch.receive(buf);
        buf.flip();
        return StandardCharsets.UTF_8.decode(buf).toString();
    }

    @Test
    void readyReloadRejectReloadStop(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("warren.toml");
        Files.writeString(file, VALID);
        Path sock = dir.resolve("notify");
        RecordingService a = new RecordingService("a", false);
        RecordingService b = new RecordingService("b", false);
        ExecutorService exec = Executors.newSingleThreadExecutor();
        try (UnixDatagramChannel notifications = UnixDatagramChannel.open()) {
            notifications.bind(new UnixSocketAddress(sock.toString()));
            WarrenDaemon daemon = new WarrenDaemon(() -> List.of(a, b), ConfigLoader::load,
                    SdNotify.forSocket(sock.toString()), false);
            WarrenConfig config = ConfigLoader.load(file).config().orElseThrow();
            Future<Integer> exit = exec.submit(() -> daemon.run(config, file, new PrintWriter(new StringWriter())));

            assertTrue(receive(notifications).startsWith("READY=1"));
            assertEquals(List.of("start"), a.calls);

            CompletableFuture<ReloadOutcome> same = new CompletableFuture<>();
            daemon.submit(new DaemonEvent.Reload("test", same));
            assertTrue(same.get(10, TimeUnit.SECONDS).applied());
            assertTrue(receive(notifications).startsWith("RELOADING=1\nMONOTONIC_USEC="));
            assertTrue(receive(notifications).startsWith("READY=1"));

            Files.writeString(file, "[metrics]\nenabeld = false\n");
            CompletableFuture<ReloadOutcome> bad = new CompletableFuture<>();
            daemon.submit(new DaemonEvent.Reload("test", bad));
            ReloadOutcome rejected = bad.get(10, TimeUnit.SECONDS);
            assertFalse(rejected.applied());
            assertTrue(rejected.messages().get(0).contains("warren.toml:2"), rejected.messages().toString());
            assertTrue(rejected.messages().get(0).contains("enabeld"), rejected.messages().toString());
            assertEquals(List.of("start", "apply:same"), a.calls, "a rejected reload reaches no service");
            assertTrue(receive(notifications).startsWith("RELOADING=1"));
            assertTrue(receive(notifications).contains("running configuration kept"));

            Files.writeString(file, "[metrics]\nenabled = true\nlisten = \"127.0.0.1:19587\"\n");
            CompletableFuture<ReloadOutcome> changed = new CompletableFuture<>();
            daemon.submit(new DaemonEvent.Reload("test", changed));
            assertTrue(changed.get(10, TimeUnit.SECONDS).applied());
            assertEquals("apply:changed", a.calls.get(2));
            assertTrue(daemon.runningConfig().metrics().enabled());

            daemon.submit(new DaemonEvent.Stop("test"));
            assertEquals(ExitCodes.OK, exit.get(10, TimeUnit.SECONDS));
            assertEquals("close", a.calls.get(a.calls.size() - 1));
            assertEquals("close", b.calls.get(b.calls.size() - 1));
        } finally {
            exec.shutdownNow();
        }
    }

    @Test
    void aServiceThatCannotStartStopsTheOnesBeforeIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("warren.toml");
        Files.writeString(file, VALID);
        RecordingService a = new RecordingService("a", false);
        RecordingService b = new RecordingService("b", true);
        RecordingService c = new RecordingService("c", false);
        WarrenDaemon daemon = new WarrenDaemon(() -> List.of(a, b, c), ConfigLoader::load,
                SdNotify.forSocket(null), false);
        StringWriter out = new StringWriter();
        int code = daemon.run(ConfigLoader.load(file).config().orElseThrow(), file, new PrintWriter(out));
        assertEquals(ExitCodes.UNAVAILABLE, code);
        assertEquals(List.of("start", "close"), a.calls);
        assertEquals(List.of("start"), b.calls);
        assertEquals(List.of(), c.calls);
        assertTrue(out.toString().contains("cannot start b: port 9587 in use"), out.toString());
    }
}
