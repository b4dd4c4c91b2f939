package io.warren.gateway.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.gateway.cli.ExitCodes;
import io.warren.gateway.config.ConfigLoader;
import io.warren.gateway.config.TunnelConfig;
import io.warren.gateway.config.WarrenConfig;
import io.warren.gateway.systemd.SdNotify;
import io.warren.gateway.tunnel.FakeTunnel;
import io.warren.gateway.tunnel.Tunnel;
import io.warren.gateway.tunnel.TunnelContext;
import io.warren.gateway.tunnel.TunnelFactory;
import io.warren.tun.link.RecordingLinkConfigurator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bad reload keeps the running tunnel: the whole daemon with a real {@link TunnelService} over a
 * fake factory whose underlay carries at most {@code mtu = 1400} (refused by its check, before
 * anything closes) and which cannot open {@code mtu = 1300} (refused only by open, after the old
 * tunnel was closed: the old settings are opened again and the reload reported failed).
 */
class TunnelReloadTest {
    private static final String A = "[tunnel.gre-a]\ntype = \"gre\"\nremote = \"192.0.2.2\"\nkey = 1\n";
    private static final String B = "[tunnel.gre-b]\ntype = \"gre\"\nremote = \"192.0.2.3\"\n";
    private static final String C = "[tunnel.gre-c]\ntype = \"gre-udp\"\nremote = \"192.0.2.9\"\n";
    private static final String ROUTES = "[[route]]\nprefix = \"10.2.0.0/24\"\nvia = \"tunnel:gre-a\"\n"
            + "[[route]]\nprefix = \"10.3.0.0/24\"\nvia = \"tunnel:gre-b\"\n";
    private static final String TAIL = "[metrics]\nenabled = false\n";

    @TempDir
    Path dir;

    private final RecordingLinkConfigurator link = new RecordingLinkConfigurator();
    private final List<FakeTunnel> opened = new ArrayList<>();
    private final WarrenDaemonTest.RecordingService other = new WarrenDaemonTest.RecordingService("other", false);
    private final ExecutorService exec = Executors.newSingleThreadExecutor();
    private TunnelService tunnels;
    private WarrenDaemon daemon;
    private Future<Integer> exit;
    private Path file;

    private final TunnelFactory factory = new TunnelFactory() {
        @Override
        public boolean supports(TunnelConfig c) {
            return !c.layer2();
        }

        @Override
        public List<Refusal> check(TunnelConfig c) {
            return c.mtu().orElse(0) > 1400
                    ? List.of(new Refusal("mtu", "mtu " + c.mtu().getAsInt() + " does not fit the underlay (1400)"))
                    : List.of();
        }

        @Override
        public Tunnel open(TunnelConfig c, TunnelContext ctx) throws IOException {
            if (c.mtu().orElse(0) == 1300) {
                throw new IOException(c.name() + ": device busy");
            }
            FakeTunnel t = new FakeTunnel(c, link);
            opened.add(t);
            return t;
        }
    };

    @BeforeEach
    void start() throws Exception {
        file = dir.resolve("warren.toml");
        Files.writeString(file, A + B + ROUTES + TAIL);
        tunnels = new TunnelService(routes -> List.of(factory), () -> link, Ipv6Forwarding.procSys());
        daemon = new WarrenDaemon(() -> List.of(tunnels, other), ConfigLoader::load, SdNotify.forSocket(null), false);
        WarrenConfig config = ConfigLoader.load(file).config().orElseThrow();
        exit = exec.submit(() -> daemon.run(config, file, new PrintWriter(new StringWriter())));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (daemon.runningConfig() == null && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(List.of("gre-a", "gre-b"), List.copyOf(tunnels.tunnels().keySet()));
    }

    @AfterEach
    void stop() throws Exception {
        daemon.submit(new DaemonEvent.Stop("test"));
        assertEquals(ExitCodes.OK, exit.get(10, TimeUnit.SECONDS));
        exec.shutdownNow();
        assertTrue(opened.stream().allMatch(FakeTunnel::closed));
    }

    private ReloadOutcome reload(String toml) throws Exception {
        Files.writeString(file, toml + TAIL);
        CompletableFuture<ReloadOutcome> done = new CompletableFuture<>();
        assertTrue(daemon.submit(new DaemonEvent.Reload("test", done)));
        return done.get(10, TimeUnit.SECONDS);
    }

    @Test
    void anMtuTheUnderlayCannotCarryRejectsTheReloadBeforeAnythingCloses() throws Exception {
        Tunnel a = tunnels.tunnels().get("gre-a");
        Tunnel b = tunnels.tunnels().get("gre-b");
        // gre-a's mtu is on line 5; gre-b changes too, and gre-c is added: none of it happens.
        ReloadOutcome out = reload(A + "mtu = 1500\n" + B.replace("192.0.2.3", "192.0.2.4") + C + ROUTES);

        assertFalse(out.applied());
        assertTrue(out.kept(), "refused as a whole");
        assertEquals(List.of("warren.toml:5: tunnel \"gre-a\".mtu: mtu 1500 does not fit the underlay (1400)"),
                out.messages());
        assertSame(a, tunnels.tunnels().get("gre-a"));
        assertSame(b, tunnels.tunnels().get("gre-b"));
        assertFalse(((FakeTunnel) a).closed() || ((FakeTunnel) b).closed());
        assertEquals(List.of("gre-a", "gre-b"), List.copyOf(tunnels.tunnels().keySet()));
        assertEquals(List.of("start"), other.calls, "a rejected reload reaches no service");
        assertTrue(daemon.runningConfig().tunnels().get("gre-a").mtu().isEmpty(), "the running config is kept");
        assertEquals(List.of("10.2.0.0/24 dev gre-a metric 100", "10.3.0.0/24 dev gre-b metric 100"), link.routes());
    }

    @Test
    void aTunnelThatFailsToReopenRunsItsOldSettingsAgainAndTheReloadSaysWhy() throws Exception {
        Tunnel a = tunnels.tunnels().get("gre-a");
        Tunnel b = tunnels.tunnels().get("gre-b");
        String bad = A + "mtu = 1300\n" + B + C + ROUTES;
        ReloadOutcome out = reload(bad);

        assertFalse(out.applied());
        assertFalse(out.kept(), "the rest applied");
        assertEquals("reload: tunnels not applied: warren.toml:1: tunnel \"gre-a\": cannot open with the new settings: "
                + "gre-a: device busy; the previous settings run again", out.messages().get(0));
        assertTrue(((FakeTunnel) a).closed(), "closed first: the new one needs its device name");
        FakeTunnel back = (FakeTunnel) tunnels.tunnels().get("gre-a");
        assertNotSame(a, back);
        assertFalse(back.closed());
        assertEquals(((FakeTunnel) a).config(), back.config(), "the old settings are back");
        assertSame(b, tunnels.tunnels().get("gre-b"), "an unchanged tunnel is untouched");
        assertTrue(tunnels.tunnels().containsKey("gre-c"), "the rest of the reload is applied");
        assertEquals(List.of("start", "apply:changed"), other.calls, "the other services applied it");
        assertEquals(List.of("10.2.0.0/24 dev gre-a metric 100", "10.3.0.0/24 dev gre-b metric 100"),
                link.routes().stream().sorted().toList(), "the old tunnel's kernel routes are back");

        // The same file again is still refused (the tunnel runs its old settings, not the file's)...
        out = reload(bad);
        assertFalse(out.applied(), out.messages().toString());
        assertTrue(out.messages().get(0).contains("device busy"), out.messages().toString());
        // ...and a good one replaces it.
        out = reload(A + "mtu = 1350\n" + B + C + ROUTES);
        assertTrue(out.applied(), out.messages().toString());
        assertEquals(1350, ((FakeTunnel) tunnels.tunnels().get("gre-a")).config().mtu().getAsInt());
        assertSame(b, tunnels.tunnels().get("gre-b"));
    }
}
