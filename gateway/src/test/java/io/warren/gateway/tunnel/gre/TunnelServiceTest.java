package io.warren.gateway.tunnel.gre;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.gateway.config.ConfigDiff;
import io.warren.gateway.config.ConfigLoader;
import io.warren.gateway.config.TunnelConfig;
import io.warren.gateway.config.WarrenConfig;
import io.warren.gateway.daemon.TunnelService;
import io.warren.gateway.tunnel.FakeTunnel;
import io.warren.gateway.tunnel.Tunnel;
import io.warren.gateway.tunnel.TunnelContext;
import io.warren.gateway.tunnel.TunnelFactory;
import io.warren.routing.IpPrefix;
import io.warren.routing.RouteTarget;
import io.warren.tun.link.RecordingLinkConfigurator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tunnel service with a fake factory and the recording link configurator: opening through the
 * factory list, kernel routes per tunnel device, the route table, and reload as a diff (removed
 * closed, changed reopened, unchanged untouched, route changes applied alone).
 */
class TunnelServiceTest {
    @TempDir
    Path dir;

    private final RecordingLinkConfigurator link = new RecordingLinkConfigurator();
    private final List<FakeTunnel> opened = new ArrayList<>();

    private TunnelService service() {
        TunnelFactory fake = new TunnelFactory() {
            @Override
            public boolean supports(TunnelConfig c) {
                return !c.layer2();
            }

            @Override
            public Tunnel open(TunnelConfig c, TunnelContext ctx) {
                FakeTunnel t = new FakeTunnel(c, link);
                opened.add(t);
                return t;
            }
        };
        return new TunnelService(routes -> List.of(fake), () -> link);
    }

    private WarrenConfig config(String toml) throws Exception {
        Path f = dir.resolve("warren-" + System.nanoTime() + ".toml");
        Files.writeString(f, toml + "\n[metrics]\nenabled = false\n");
        return ConfigLoader.load(f).config().orElseThrow(() -> new AssertionError("bad config: " + toml));
    }

    private static final String A = "[tunnel.gre-a]\ntype = \"gre\"\nremote = \"192.0.2.2\"\nkey = 1\n";
    private static final String B = "[tunnel.gre-b]\ntype = \"gre\"\nremote = \"192.0.2.3\"\n";
    private static final String VX = "[tunnel.vx]\ntype = \"vxlan\"\nvni = 5\nremote = \"192.0.2.4\"\n";

    private static String route(String prefix, String via) {
        return "[[route]]\nprefix = \"" + prefix + "\"\nvia = \"" + via + "\"\n";
    }

    @Test
    void startOpensSupportedTunnelsInstallsKernelRoutesAndFillsTheRouteTable() throws Exception {
        try (TunnelService s = service()) {
            s.start(config(A + B + VX + route("10.2.0.0/24", "tunnel:gre-a") + route("10.3.0.0/24", "tunnel:gre-b")
                    + route("10.2.0.128/25", "blackhole") + route("192.0.2.0/24", "tunnel:gre-a")));
            assertEquals(List.of("gre-a", "gre-b"), List.copyOf(s.tunnels().keySet()), "vxlan has no factory here");
            assertEquals(List.of("10.2.0.0/24 dev gre-a metric 100", "10.3.0.0/24 dev gre-b metric 100"), link.routes(),
                    "the route containing the endpoint is refused");
            assertEquals(RouteTarget.BLACKHOLE, s.routes().lookupV4(0x0a020081).target());
            assertEquals(new RouteTarget.Tunnel("gre-a"), s.routes().lookupV4(0x0a020001).target());
            assertEquals(4, s.routes().all().size());
        }
        assertTrue(opened.stream().allMatch(FakeTunnel::closed));
        assertEquals(List.of(), link.routes());
    }

    @Test
    void reloadClosesRemovedReopensChangedAndLeavesUnchangedAlone() throws Exception {
        try (TunnelService s = service()) {
            WarrenConfig before = config(A + B + route("10.2.0.0/24", "tunnel:gre-a") + route("10.3.0.0/24", "tunnel:gre-b"));
            s.start(before);
            Tunnel a = s.tunnels().get("gre-a");
            Tunnel b = s.tunnels().get("gre-b");
            String c = "[tunnel.gre-c]\ntype = \"gre-udp\"\nremote = \"192.0.2.9\"\n";
            WarrenConfig after = config(A.replace("key = 1", "key = 2") + c + route("10.2.0.0/24", "tunnel:gre-a")
                    + route("10.2.1.0/24", "tunnel:gre-a") + route("10.9.0.0/16", "tunnel:gre-c"));
            s.apply(before, after, ConfigDiff.between(before, after));
            assertTrue(((FakeTunnel) a).closed() && ((FakeTunnel) b).closed());
            assertEquals(List.of("gre-a", "gre-c"), List.copyOf(s.tunnels().keySet()));
            assertEquals(List.of("10.2.0.0/24 dev gre-a metric 100", "10.2.1.0/24 dev gre-a metric 100",
                    "10.9.0.0/16 dev gre-c metric 100"), link.routes());

            // Only routes change: the tunnels are untouched.
            Tunnel a2 = s.tunnels().get("gre-a");
            WarrenConfig routesOnly = config(A.replace("key = 1", "key = 2") + c + route("10.2.0.0/24", "tunnel:gre-a"));
            s.apply(after, routesOnly, ConfigDiff.between(after, routesOnly));
            assertSame(a2, s.tunnels().get("gre-a"));
            assertTrue(!((FakeTunnel) a2).closed());
            assertEquals(List.of("10.2.0.0/24 dev gre-a metric 100"), link.routes());
            assertEquals(1, s.routes().all().size());
            assertEquals(IpPrefix.of("10.2.0.0/24"), s.routes().all().get(0).prefix());
        }
    }
}
