package io.warren.gateway.nat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.crypto.primitives.NoisePrivateKey;
import io.warren.gateway.config.ConfigDiff;
import io.warren.gateway.config.WarrenConfig;
import io.warren.gateway.control.StatusCollector;
import io.warren.gateway.control.StatusReport;
import io.warren.gateway.daemon.NatTraversalService;
import io.warren.gateway.daemon.RunningInterface;
import io.warren.gateway.daemon.WireGuardService;
import io.warren.gateway.metrics.MetricsServer;
import io.warren.gateway.transport.WgPeer;
import io.warren.gateway.uapi.UapiKey;
import io.warren.testlab.ExecResult;
import io.warren.testlab.LabProcess;
import io.warren.testlab.NatBox;
import io.warren.testlab.NetLab;
import io.warren.testlab.Netns;
import io.warren.testlab.Wait;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two Warren spokes, each behind its own NAT namespace, and a Warren hub on the public side that
 * routes between them and introduces them to each other inside the tunnel. Endpoint-independent
 * NATs: traffic ends up direct and the hub stops carrying it. Symmetric NATs: it flows via the hub
 * without a loss. The direct path cut mid-stream: traffic falls back to the hub within seconds.
 *
 * <p>The NAT boxes drop unsolicited datagrams to their own WAN address (an ordinary router's input
 * policy): otherwise the first punch packet that arrives before the other side has sent leaves a
 * conntrack entry that makes the other NAT pick another port, and two Linux NATs never meet.
 */
class NatHolePunchIT {
    @RegisterExtension
    static final NetLab lab = NetLab.create();

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long S = TimeUnit.SECONDS.toNanos(1);
    private final List<Object[]> started = new ArrayList<>(); // {Netns, WireGuardService, NatTraversalService}

    @BeforeEach
    void requirements() {
        lab.requireRoot();
        lab.requireTools("ping", "nft", "sysctl");
    }

    @AfterEach
    void stop() {
        for (Object[] s : started) {
            ((NatTraversalService) s[2]).close();
            ((Netns) s[0]).run(((WireGuardService) s[1])::close);
        }
    }

    private record Gateway(Netns ns, String ifName, NoisePrivateKey key, WireGuardService wg, NatTraversalService nat,
                           WarrenConfig config, String toml) {
        WgPeer peer(NoisePrivateKey other) {
            return wg.interfaces().get(ifName).wireGuard().peers().stream()
                    .filter(p -> p.publicKey().toBase64().equals(other.publicKey().toBase64())).findFirst().orElseThrow();
        }

        Optional<PeerPath> pathTo(NoisePrivateKey other) {
            return nat.coordination().get(ifName).remotes().stream()
                    .filter(r -> r.key().equals(UapiKey.of(other.publicKey().bytes()))).map(SpokeCoordinator.Remote::path)
                    .findFirst();
        }
    }

    private Gateway start(Netns ns, String ifName, NoisePrivateKey key, String toml) throws Exception {
        WarrenConfig config = NatLabSupport.parse(lab, ifName, toml);
        WireGuardService wg = new WireGuardService((ic, tr) -> ns.call(() -> RunningInterface.open(ic, tr)));
        wg.start(config);
        NatTraversalService nat = new NatTraversalService(wg, MetricsServer.newRegistry(), h -> {
            try {
                return Optional.of(InetAddress.getByName(h));
            } catch (java.net.UnknownHostException e) {
                return Optional.empty();
            }
        }, new NatTraversalService.Settings(60 * S, 300 * S, 135 * S, 30 * S, S,
                new SpokeCoordinator.Timing(S, 8 * S, 2 * S, 10 * S, 30 * S)));
        nat.start(config);
        started.add(new Object[] {ns, wg, nat});
        return new Gateway(ns, ifName, key, wg, nat, config, toml);
    }

    private record Lab(Gateway hub, Gateway a, Gateway b, NatBox natA, NatBox natB) {
    }

    private Lab build(boolean symmetric) throws Exception {
        Netns pub = lab.netns("hp");
        Netns sa = lab.netns("ha");
        Netns sb = lab.netns("hb");
        NatBox natA = lab.natBox("na", sa, "10.1.0.0/24", pub, "10.2.0.0/24", symmetric);
        NatBox natB = lab.natBox("nb", sb, "10.3.0.0/24", pub, "10.4.0.0/24", symmetric);
        pub.sysctl("net.ipv4.ip_forward", "1");
        for (NatBox n : List.of(natA, natB)) {
            n.ns().exec("ip", "route", "add", "default", "via", n.outsideAddress());
            n.ns().exec("nft", "add table ip fw; add chain ip fw input { type filter hook input priority 0; }; "
                    + "add rule ip fw input iifname \"wan0\" udp dport 51820 drop; "
                    + "add chain ip fw forward { type filter hook forward priority 0; }");
        }
        NoisePrivateKey hubKey = NoisePrivateKey.generate(RANDOM);
        NoisePrivateKey aKey = NoisePrivateKey.generate(RANDOM);
        NoisePrivateKey bKey = NoisePrivateKey.generate(RANDOM);
        String hubIf = lab.uniqueName("hh");
        String aIf = lab.uniqueName("ha");
        String bIf = lab.uniqueName("hb");
        Gateway hub = start(pub, hubIf, hubKey, NatLabSupport.iface(hubIf, hubKey, 51820, "10.99.0.1/24",
                new NatLabSupport.PeerText(aKey, null, 0, false, "10.99.0.2/32"),
                new NatLabSupport.PeerText(bKey, null, 0, false, "10.99.0.3/32"))
                + "[nat-traversal]\nhub = true\nrelay = true\n");
        Gateway a = start(sa, aIf, aKey, NatLabSupport.iface(aIf, aKey, 51820, "10.99.0.2/24",
                new NatLabSupport.PeerText(hubKey, natA.outsideAddress() + ":51820", 1, true, "10.99.0.0/24")));
        Gateway b = start(sb, bIf, bKey, NatLabSupport.iface(bIf, bKey, 51820, "10.99.0.3/24",
                new NatLabSupport.PeerText(hubKey, natB.outsideAddress() + ":51820", 1, true, "10.99.0.0/24")));
        return new Lab(hub, a, b, natA, natB);
    }

    private static long hubCarried(Lab l) {
        return l.hub().peer(l.a().key()).rxPackets() + l.hub().peer(l.b().key()).rxPackets();
    }

    @Test
    void endpointIndependentNatsEndUpDirect() throws Exception {
        Lab l = build(false);
        ExecResult first = l.a().ns().execAllowFail("ping", "-c", "3", "-i", "0.2", "-W", "2", "10.99.0.3");
        assertEquals(0, NatLabSupport.lossPercent(first), "via the hub first: " + first.stdout());
        Wait.until(Duration.ofSeconds(20), "a direct path both ways",
                () -> l.a().pathTo(l.b().key()).equals(Optional.of(PeerPath.DIRECT))
                        && l.b().pathTo(l.a().key()).equals(Optional.of(PeerPath.DIRECT)));
        long carried = hubCarried(l);
        ExecResult ping = l.a().ns().execAllowFail("ping", "-c", "20", "-i", "0.1", "-W", "1", "10.99.0.3");
        assertEquals(0, NatLabSupport.lossPercent(ping), ping.stdout());
        assertEquals(carried, hubCarried(l), "the hub no longer carries the spokes' traffic");
        assertTrue(l.a().peer(l.b().key()).rxPackets() >= 20, "A received B's replies from B itself");
        StatusReport status = StatusCollector.collect(l.a().config(),
                Map.of(l.a().ifName(), l.a().wg().interfaces().get(l.a().ifName()).wireGuard()), List.of(), 0);
        String bKey = l.b().key().publicKey().toBase64();
        assertEquals("direct", status.interfaces().get(0).peers().stream().filter(p -> p.publicKey().equals(bKey))
                .findFirst().orElseThrow().path());
        assertEquals(PeerPath.DIRECT, PeerPaths.of(l.a().ifName(), l.b().key().publicKey().bytes()));

        // B (authenticated, but not A's hub) forges an introduction; the hub replays an old sequence.
        CoordCounters counters = l.a().nat().coordination().get(l.a().ifName()).counters();
        UapiKey mallory = UapiKey.of(NoisePrivateKey.generate(RANDOM).publicKey().bytes());
        var evil = new java.net.InetSocketAddress("10.4.0.66", 666);
        java.net.Inet4Address any = (java.net.Inet4Address) InetAddress.getByName("10.99.0.9");
        var aKey = io.warren.crypto.primitives.NoisePublicKey.fromBytes(l.a().key().publicKey().bytes());
        l.b().wg().interfaces().get(l.b().ifName()).wireGuard().sendInner(aKey,
                CoordCodec.encode(new CoordMessage.Introduce(Long.MAX_VALUE, mallory, evil, List.of()), any, any));
        l.hub().wg().interfaces().get(l.hub().ifName()).wireGuard().sendInner(aKey,
                CoordCodec.encode(new CoordMessage.Introduce(1, mallory, evil, List.of()), any, any));
        Wait.until(Duration.ofSeconds(5), "the forged and the replayed introduction counted",
                () -> counters.dropped(CoordDropReason.NOT_FROM_HUB) == 1 && counters.dropped(CoordDropReason.REPLAYED) == 1);
        assertTrue(l.a().pathTo(NoisePrivateKey.generate(RANDOM)).isEmpty());
        assertEquals(1, l.a().nat().coordination().get(l.a().ifName()).remotes().size(), "only B was learnt");

        // A host on the hub's side (here the hub's own kernel stack: TTL 64) sends an introduction to A's
        // tunnel address; the hub forwards it inside its session. It is not the hub's message (RFC 5082:
        // not TTL 255): A must not believe it, and it must reach A's TUN like any other datagram.
        long acceptedBefore = counters.accepted();
        ByteBuffer forged = CoordCodec.encode(new CoordMessage.Introduce(Long.MAX_VALUE - 1, mallory, evil,
                List.of()), any, any);
        forged.position(28);
        try (DatagramChannel listener = l.a().ns().call(() -> DatagramChannel.open()
                .bind(new java.net.InetSocketAddress("10.99.0.2", CoordWire.PORT)));
             DatagramChannel sender = l.hub().ns().call(DatagramChannel::open)) {
            listener.configureBlocking(false);
            ByteBuffer got = ByteBuffer.allocate(2048);
            Wait.until(Duration.ofSeconds(5), "the forwarded datagram reached A's TUN", () -> {
                try {
                    if (listener.receive(got) != null) {
                        return true;
                    }
                    sender.send(forged.duplicate(), new java.net.InetSocketAddress("10.99.0.2", CoordWire.PORT));
                    return false;
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertEquals(forged.remaining(), got.flip().remaining());
        }
        assertEquals(acceptedBefore, counters.accepted(), "a forwarded introduction is not a message from the hub");
        assertEquals(1, l.a().nat().coordination().get(l.a().ifName()).remotes().size(), "still only B");
        assertEquals(Optional.of(PeerPath.DIRECT), l.a().pathTo(l.b().key()));

        // A reload that changes A's peers keeps the punched path and its session.
        long handshake = l.a().peer(l.b().key()).lastHandshakeWallNanos();
        String more = l.a().toml() + new NatLabSupport.PeerText(NoisePrivateKey.generate(RANDOM), null, 0, false,
                "10.99.0.77/32").toml(l.a().ifName());
        WarrenConfig next = NatLabSupport.parse(lab, l.a().ifName() + "-2", more);
        ConfigDiff diff = ConfigDiff.between(l.a().config(), next);
        l.a().wg().apply(l.a().config(), next, diff);
        l.a().nat().apply(l.a().config(), next, diff);
        assertEquals(handshake, l.a().peer(l.b().key()).lastHandshakeWallNanos(), "B's session survived the reload");
        assertEquals(Optional.of(PeerPath.DIRECT), l.a().pathTo(l.b().key()));
        long carriedBefore = hubCarried(l);
        ExecResult afterReload = l.a().ns().execAllowFail("ping", "-c", "20", "-i", "0.1", "-W", "1", "10.99.0.3");
        assertEquals(0, NatLabSupport.lossPercent(afterReload), afterReload.stdout());
        assertEquals(carriedBefore, hubCarried(l), "still direct after the reload");
        assertEquals(handshake, l.a().peer(l.b().key()).lastHandshakeWallNanos(), "no new handshake was needed");
    }

    @Test
    void symmetricNatsKeepTalkingViaTheHub() throws Exception {
        Lab l = build(true);
        long carried = hubCarried(l);
        ExecResult ping = l.a().ns().execAllowFail("ping", "-c", "60", "-i", "0.2", "-W", "1", "10.99.0.3");
        assertEquals(0, NatLabSupport.lossPercent(ping), ping.stdout());
        assertTrue(hubCarried(l) - carried >= 120, "the hub relayed every request and reply");
        assertTrue(l.a().pathTo(l.b().key()).orElseThrow() != PeerPath.DIRECT);
        assertTrue(PeerPaths.of(l.a().ifName(), l.b().key().publicKey().bytes()) != PeerPath.DIRECT);
    }

    @Test
    void aCutDirectPathFallsBackToTheHub() throws Exception {
        Lab l = build(false);
        l.a().ns().execAllowFail("ping", "-c", "3", "-i", "0.2", "-W", "2", "10.99.0.3");
        Wait.until(Duration.ofSeconds(20), "a direct path both ways",
                () -> l.a().pathTo(l.b().key()).equals(Optional.of(PeerPath.DIRECT))
                        && l.b().pathTo(l.a().key()).equals(Optional.of(PeerPath.DIRECT)));
        LabProcess ping = lab.spawn(l.a().ns(), "ping", "-c", "150", "-i", "0.1", "-W", "1", "10.99.0.3");
        Thread.sleep(2_000);
        // Cut the direct path in A's NAT: B's datagrams no longer get in (the hub's still do).
        l.natA().ns().exec("nft", "add rule ip fw forward ip saddr " + l.natB().publicAddress() + " drop");
        Wait.until(Duration.ofSeconds(8), "A back on the hub",
                () -> l.a().pathTo(l.b().key()).orElseThrow() != PeerPath.DIRECT);
        assertEquals(0, ping.waitFor(Duration.ofSeconds(30)), ping.output());
        Matcher m = Pattern.compile("(\\d+) received").matcher(ping.output());
        assertTrue(m.find(), ping.output());
        int received = Integer.parseInt(m.group(1));
        // A falls back 2 s after the cut, B 2 s after A's keepalives stop: about 4-5 s (45 pings) lost.
        assertTrue(150 - received <= 60, "loss bounded to the seconds before both sides fall back: " + ping.output());
        ExecResult after = l.a().ns().execAllowFail("ping", "-c", "5", "-i", "0.2", "-W", "1", "10.99.0.3");
        assertEquals(0, NatLabSupport.lossPercent(after), "via the hub: " + after.stdout());
    }
}
