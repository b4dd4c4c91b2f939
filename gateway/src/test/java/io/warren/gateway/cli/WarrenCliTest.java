package io.warren.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.gateway.config.WarrenConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** check / run / status / reload / client add / --version, in-process with captured output. */
class WarrenCliTest {
    @TempDir
    Path dir;

    private Path writeConfig(String keyPerms, String extra) throws Exception {
        Path key = dir.resolve("wg0.key");
        Files.writeString(key, "wK3EJPcxao7yQv3OKzQAmk9WKxxinyn+fKgKba6UlWg=\n");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString(keyPerms));
        Path cfg = dir.resolve("warren.toml");
        Files.writeString(cfg, "[interface.wg0]\nprivate-key-file = \"wg0.key\"\nlisten-port = 51820\n"
                + "[[interface.wg0.peer]]\nname = \"laptop\"\n"
                + "public-key = \"EJl44V2Zu+9iFP2bC3mCaD9cylJmMs3fAS6maFL3IjI=\"\nallowed-ips = \"10.0.0.2/32\"\n" + extra);
        return cfg;
    }

    @Test
    void checkValidConfigPrintsSummaryAndExitsZero() throws Exception {
        Path cfg = writeConfig("rw-------", "");
        CliHarness h = new CliHarness();
        assertEquals(0, h.run("check", "--config", cfg.toString()));
        assertEquals(cfg + ": OK: 1 interface (1 peer), 0 tunnels, 0 routes, 0 dhcp pools, dns off, metrics 127.0.0.1:9587\n",
                h.out.toString());
        assertEquals("", h.err.toString());
    }

    @Test
    void checkInvalidConfigPrintsEveryErrorAndExitsOne() throws Exception {
        Path cfg = writeConfig("rw-------", "[[route]]\nprefix = \"10.0.0.300/32\"\nvia = \"tunnel:nope\"\n");
        CliHarness h = new CliHarness();
        assertEquals(ExitCodes.INVALID, h.run("check", "-c", cfg.toString()));
        assertEquals("", h.out.toString());
        assertEquals(List.of(
                "warren.toml:9: route #1.prefix: \"10.0.0.300/32\" is not an IP prefix",
                "warren.toml:10: route #1.via: unknown tunnel \"nope\"",
                cfg + ": 2 error(s), 0 warning(s)"), h.err.toString().lines().toList());
    }

    @Test
    void checkWarnsAboutWorldReadableKeyFileButPasses() throws Exception {
        Path cfg = writeConfig("rw-r--r--", "");
        CliHarness h = new CliHarness();
        assertEquals(0, h.run("check", "--config", cfg.toString()));
        assertEquals("warren.toml:2: warning: interface \"wg0\".private-key-file: \"" + dir.resolve("wg0.key")
                + "\" is world-readable; run chmod 600 on it\n", h.err.toString());
        assertTrue(h.out.toString().endsWith(", 1 warning(s)\n"));
    }

    @Test
    void checkMissingFile() {
        CliHarness h = new CliHarness();
        assertEquals(ExitCodes.INVALID, h.run("check", "--config", dir.resolve("none.toml").toString()));
        assertTrue(h.err.toString().startsWith("none.toml: cannot read "));
    }

    @Test
    void runHandsTheValidatedConfigToTheDaemon() throws Exception {
        Path cfg = writeConfig("rw-------", "");
        List<WarrenConfig> started = new ArrayList<>();
        CliHarness h = new CliHarness("", new SecureRandom(), (c, f, out) -> {
            started.add(c);
            return 0;
        }, ControlTransport.UNWIRED);
        assertEquals(0, h.run("run", "--config", cfg.toString()));
        assertEquals(1, started.size());
        assertEquals(51820, started.get(0).interfaces().get("wg0").listenPort());
    }

    @Test
    void runRefusesAnInvalidConfigWithoutStartingAnything() throws Exception {
        Path cfg = writeConfig("rw-------", "[metrics]\nlisten = \"nowhere\"\n");
        List<WarrenConfig> started = new ArrayList<>();
        CliHarness h = new CliHarness("", new SecureRandom(), (c, f, out) -> {
            started.add(c);
            return 0;
        }, ControlTransport.UNWIRED);
        assertEquals(ExitCodes.INVALID, h.run("run", "--config", cfg.toString()));
        assertTrue(started.isEmpty());
        assertTrue(h.err.toString().contains("warren: not starting:"));
    }

    @Test
    void dryRunDaemonSaysWhatItWouldStart() throws Exception {
        Path cfg = writeConfig("rw-------", "");
        CliHarness h = new CliHarness();
        assertEquals(0, h.run("run", "--config", cfg.toString()));
        assertTrue(h.out.toString().contains("would start 1 interface (1 peer)"), h.out.toString());
    }

    /** Records requests and answers with canned text. */
    private static final class FakeControl implements ControlClient {
        final List<String> calls = new ArrayList<>();
        Path socket;

        @Override
        public String status(boolean json) {
            calls.add("status json=" + json);
            return json ? "{\"interfaces\":[]}" : "interface wg0\n";
        }

        @Override
        public String reload() {
            calls.add("reload");
            return "peers of wg0: +1 -0 ~0";
        }

        @Override
        public String addClient(String name, String iface) {
            calls.add("add " + name + " " + iface);
            return "[Interface]\nAddress = 10.0.0.9/32\n";
        }

        @Override
        public void close() {
            calls.add("close");
        }
    }

    private static CliHarness withControl(FakeControl fake) {
        return new CliHarness("", new SecureRandom(), Daemon.DRY_RUN, s -> {
            fake.socket = s;
            return fake;
        });
    }

    @Test
    void statusJsonGoesThroughTheControlTransport() {
        FakeControl fake = new FakeControl();
        CliHarness h = withControl(fake);
        assertEquals(0, h.run("status", "--json", "--socket", "/tmp/w.sock"));
        assertEquals("{\"interfaces\":[]}\n", h.out.toString());
        assertEquals(List.of("status json=true", "close"), fake.calls);
        assertEquals(Path.of("/tmp/w.sock"), fake.socket);
    }

    @Test
    void reloadAndClientAdd() {
        FakeControl fake = new FakeControl();
        CliHarness h = withControl(fake);
        assertEquals(0, h.run("reload"));
        assertEquals(0, h.run("client", "add", "alice", "-i", "wg0"));
        assertEquals(List.of("reload", "close", "add alice wg0", "close"), fake.calls);
        assertTrue(h.out.toString().contains("[Interface]"));
        assertEquals(Path.of("/run/warren/control.sock"), fake.socket);
    }

    @Test
    void clientAddRejectsBadNameLocally() {
        FakeControl fake = new FakeControl();
        CliHarness h = withControl(fake);
        assertEquals(ExitCodes.INVALID, h.run("client", "add", "bad name!"));
        assertTrue(fake.calls.isEmpty());
    }

    @Test
    void unreachableDaemonExitsThree() {
        CliHarness h = new CliHarness();
        assertEquals(ExitCodes.UNAVAILABLE, h.run("status"));
        assertTrue(h.err.toString().startsWith("warren status: cannot reach the daemon at /run/warren/control.sock"));
    }

    @Test
    void versionHelpAndUsageErrors() {
        CliHarness h = new CliHarness();
        assertEquals(0, h.run("--version"));
        assertEquals("warren dev\n", h.out.toString());

        CliHarness help = new CliHarness();
        assertEquals(0, help.run("--help"));
        String usage = help.out.toString();
        assertTrue(usage.contains("Exit codes:") && usage.contains("genkey") && usage.contains("client"), usage);

        CliHarness bad = new CliHarness();
        assertEquals(ExitCodes.USAGE, bad.run("check", "--bogus"));
        assertTrue(bad.err.toString().contains("Unknown option: '--bogus'"));

        CliHarness none = new CliHarness();
        assertEquals(ExitCodes.USAGE, none.run());
        assertFalse(none.err.toString().isEmpty());
    }
}
