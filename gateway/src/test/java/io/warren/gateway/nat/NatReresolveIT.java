package io.warren.gateway.nat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.warren.crypto.primitives.NoisePrivateKey;
import io.warren.gateway.config.WarrenConfig;
import io.warren.gateway.daemon.NatTraversalService;
import io.warren.gateway.daemon.RunningInterface;
import io.warren.gateway.daemon.WireGuardService;
import io.warren.gateway.metrics.MetricsServer;
import io.warren.gateway.transport.WgPeer;
import io.warren.testlab.ExecResult;
import io.warren.testlab.NetLab;
import io.warren.testlab.Netns;
import io.warren.testlab.Wait;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An endpoint given as a host name is resolved again by the NAT-traversal service (here with a
 * fake resolver and intervals of seconds): a name that did not resolve at start is picked up while
 * the peer is quiet, and a name that moves to another address is followed on the periodic
 * re-resolution, through reconcile, keeping the session (same peer, no new handshake).
 */
class NatReresolveIT {
    @RegisterExtension
    static final NetLab lab = NetLab.create();

    private static final SecureRandom RANDOM = new SecureRandom();
    private WireGuardService wireguard;
    private NatTraversalService nat;
    private Netns warrenNs;

    @BeforeEach
    void requirements() {
        lab.requireRoot();
        lab.requireTools("wireguard-go", "wg", "ping");
    }

    @AfterEach
    void stop() {
        if (nat != null) {
            nat.close();
        }
        if (wireguard != null) {
            warrenNs.run(wireguard::close);
        }
    }

    @Test
    void hostNameEndpointsAreReResolvedWithoutDroppingTheSession() throws Exception {
        warrenNs = lab.netns("ra");
        Netns stock = lab.netns("rb");
        lab.veth(warrenNs, "ul0", stock, "ul0");
        warrenNs.addr("ul0", "10.50.0.1/24");
        stock.addr("ul0", "10.50.0.2/24");
        stock.addr("ul0", "10.50.0.3/24");
        NoisePrivateKey warrenKey = NoisePrivateKey.generate(RANDOM);
        NoisePrivateKey stockKey = NoisePrivateKey.generate(RANDOM);
        String stockIf = lab.uniqueName("rs");
        NatLabSupport.stockPeer(lab, stock, stockIf, stockKey, "10.60.0.2/24");
        stock.exec("wg", "set", stockIf, "peer", warrenKey.publicKey().toBase64(), "allowed-ips", "10.60.0.1/32");
        String ifName = lab.uniqueName("rw");
        WarrenConfig config = NatLabSupport.parse(lab, ifName, NatLabSupport.iface(ifName, warrenKey, 51820,
                "10.60.0.1/24", new NatLabSupport.PeerText(stockKey, "peer.warren.test:51820", 0, false,
                        "10.60.0.2/32")));
        AtomicReference<String> dns = new AtomicReference<>("10.50.0.2");
        wireguard = new WireGuardService((ic, tr) -> warrenNs.call(() -> RunningInterface.open(ic, tr)));
        wireguard.start(config);
        nat = new NatTraversalService(wireguard, MetricsServer.newRegistry(), h -> {
            try {
                return h.equals("peer.warren.test") ? Optional.of(InetAddress.getByName(dns.get())) : Optional.empty();
            } catch (java.net.UnknownHostException e) {
                return Optional.empty();
            }
        }, new NatTraversalService.Settings(TimeUnit.SECONDS.toNanos(60), TimeUnit.SECONDS.toNanos(3),
                TimeUnit.SECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(500), TimeUnit.SECONDS.toNanos(5),
                io.warren.gateway.nat.SpokeCoordinator.Timing.STANDARD));
        nat.start(config);

        WgPeer peer = wireguard.interfaces().get(ifName).wireGuard().peers().get(0);
        Wait.until(Duration.ofSeconds(10), "the quiet peer's name resolved",
                () -> new InetSocketAddress("10.50.0.2", 51820).equals(peer.endpoint()));
        ExecResult ping = warrenNs.execAllowFail("ping", "-c", "3", "-i", "0.2", "-W", "2", "10.60.0.2");
        assertEquals(0, NatLabSupport.lossPercent(ping), ping.stdout());
        long handshakes = peer.handshakes();
        assertEquals(1, handshakes);

        dns.set("10.50.0.3");
        Wait.until(Duration.ofSeconds(10), "the moved name followed",
                () -> new InetSocketAddress("10.50.0.3", 51820).equals(peer.endpoint()));
        ExecResult again = warrenNs.execAllowFail("ping", "-c", "3", "-i", "0.2", "-W", "2", "10.60.0.2");
        assertEquals(0, NatLabSupport.lossPercent(again), again.stdout());
        assertSame(peer, wireguard.interfaces().get(ifName).wireGuard().peers().get(0), "the peer was not recreated");
        assertEquals(handshakes, peer.handshakes(), "the session was kept");
    }
}
