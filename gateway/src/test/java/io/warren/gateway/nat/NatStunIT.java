package io.warren.gateway.nat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.warren.crypto.primitives.NoisePrivateKey;
import io.warren.gateway.config.WarrenConfig;
import io.warren.gateway.control.ControlCodec;
import io.warren.gateway.control.StatusCollector;
import io.warren.gateway.control.StatusReport;
import io.warren.gateway.control.StatusText;
import io.warren.gateway.daemon.NatTraversalService;
import io.warren.gateway.daemon.RunningInterface;
import io.warren.gateway.daemon.WireGuardService;
import io.warren.gateway.daemon.WireGuardService.InterfaceFactory;
import io.warren.gateway.metrics.MetricsServer;
import io.warren.testlab.NatBox;
import io.warren.testlab.NetLab;
import io.warren.testlab.Netns;
import io.warren.testlab.Wait;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Warren behind a NAT namespace learns its server-reflexive address and the NAT's mapping
 * behaviour from two coturn STUN listeners (two ports) in a "public" namespace, with requests sent
 * from its WireGuard port: plain masquerade is endpoint-independent and keeps port 51820;
 * {@code masquerade random} maps per destination (symmetric). Shown in the Prometheus meters.
 * A response with an unknown transaction id is ignored and counted, and never reaches WireGuard.
 */
class NatStunIT {
    @RegisterExtension
    static final NetLab lab = NetLab.create();

    private static final SecureRandom RANDOM = new SecureRandom();
    private WireGuardService wireguard;
    private NatTraversalService nat;
    private Netns home;
    private WarrenConfig config;

    @BeforeEach
    void requirements() {
        lab.requireRoot();
        lab.requireTools("turnserver", "nft", "sysctl");
    }

    @AfterEach
    void stop() {
        if (nat != null) {
            nat.close();
        }
        if (wireguard != null) {
            home.run(wireguard::close);
        }
    }

    private void stunServer(Netns ns, String ip, int port) {
        String tag = "stun" + port;
        lab.spawn(ns, "turnserver", "-n", "--stun-only", "--no-cli", "--no-tls", "--no-dtls", "--no-rfc5780",
                "--listening-ip=" + ip, "--listening-port=" + port, "--log-file=stdout", "--simple-log",
                "--pidfile", lab.tempDir().resolve(tag + ".pid").toString(),
                "--db", lab.tempDir().resolve(tag + ".db").toString());
    }

    private StunAgent run(boolean symmetric, PrometheusMeterRegistry registry) throws Exception {
        Netns pub = lab.netns("sp");
        home = lab.netns("sh");
        NatBox box = lab.natBox("sn", home, "10.1.0.0/24", pub, "10.2.0.0/24", symmetric);
        stunServer(pub, box.outsideAddress(), 3478);
        stunServer(pub, box.outsideAddress(), 3479);
        String ifName = lab.uniqueName("st");
        NoisePrivateKey key = NoisePrivateKey.generate(RANDOM);
        String toml = NatLabSupport.iface(ifName, key, 51820, "10.60.0.1/24",
                new NatLabSupport.PeerText(NoisePrivateKey.generate(RANDOM), null, 0, false, "10.60.0.2/32"))
                + "[nat-traversal]\nstun-servers = [\"" + box.outsideAddress() + ":3478\", \""
                + box.outsideAddress() + ":3479\"]\n";
        config = NatLabSupport.parse(lab, ifName, toml);
        InterfaceFactory inHome = (ic, tr) -> home.call(() -> RunningInterface.open(ic, tr));
        wireguard = new WireGuardService(inHome);
        wireguard.start(config); // the factory enters the namespace itself
        nat = new NatTraversalService(wireguard, registry, h -> {
            try {
                return Optional.of(InetAddress.getByName(h));
            } catch (java.net.UnknownHostException e) {
                return Optional.empty();
            }
        }, new NatTraversalService.Settings(TimeUnit.SECONDS.toNanos(30), TimeUnit.SECONDS.toNanos(300),
                TimeUnit.SECONDS.toNanos(135), TimeUnit.SECONDS.toNanos(30), TimeUnit.SECONDS.toNanos(5),
                io.warren.gateway.nat.SpokeCoordinator.Timing.STANDARD));
        nat.start(config);
        // coturn needs a moment to listen; the §6.2.1 retransmissions cover that.
        StunAgent agent = Wait.untilPresent(Duration.ofSeconds(15), "a STUN agent",
                () -> Optional.ofNullable(nat.stun().get(ifName)));
        Wait.until(Duration.ofSeconds(15), "answers from both STUN listeners", () -> agent.answers().size() == 2);
        return agent;
    }

    @Test
    void coneNatKeepsThePortAndMapsEndpointIndependently() throws Exception {
        PrometheusMeterRegistry registry = MetricsServer.newRegistry();
        StunAgent agent = run(false, registry);
        assertEquals(MappingBehaviour.ENDPOINT_INDEPENDENT, agent.behaviour(), agent.answers().toString());
        assertEquals(new InetSocketAddress("10.2.0.1", 51820), agent.reflexive().orElseThrow());
        Wait.until(Duration.ofSeconds(5), "the reflexive address in the meters",
                () -> registry.scrape().contains("address=\"10.2.0.1:51820\""));
        String scrape = registry.scrape();
        assertTrue(scrape.matches("(?s).*warren_nat_mapping\\{behaviour=\"endpoint_independent\"[^}]*} 1\\.0.*"), scrape);
        assertTrue(agent.counters().responses() >= 2);

        // warren status shows it too (text and JSON), as the control service collects it.
        String ifName = agent.wireGuard().name();
        // Published at each tick: a snapshot taken between the two answers lacks the mapping; wait for the next.
        Wait.until(Duration.ofSeconds(5), "the STUN status published", () -> nat.status().containsKey(ifName)
                && "endpoint-independent".equals(nat.status().get(ifName).mapping()));
        long now = java.time.Instant.now().getEpochSecond();
        StatusReport status = StatusCollector.collect(config, Map.of(ifName, agent.wireGuard()), List.of(), Map.of(),
                nat.status(), now);
        StatusReport.Nat shown = status.interfaces().get(0).nat();
        assertEquals("10.2.0.1:51820", shown.reflexive());
        assertEquals("endpoint-independent", shown.mapping());
        assertTrue(shown.lastCheckAgeSeconds() >= 0 && shown.lastCheckAgeSeconds() <= 30, shown.toString());
        String text = StatusText.render(status);
        assertTrue(text.contains("  reflexive address: 10.2.0.1:51820\n  nat mapping: endpoint-independent\n"), text);
        assertEquals("10.2.0.1:51820", ControlCodec.tree(status).at("/interfaces/0/nat/reflexive").asText());

        // A forged response (unknown transaction id) on the WireGuard port: ignored and counted.
        Map<String, Long> wgDropsBefore = agent.wireGuard().counters().nonZero();
        home.run(() -> {
            try (DatagramChannel ch = DatagramChannel.open()) {
                ch.send(StunCodec.bindingResponse(TransactionId.random(RANDOM), new InetSocketAddress("192.0.2.66", 1)),
                        new InetSocketAddress("127.0.0.1", 51820));
            }
        });
        Wait.until(Duration.ofSeconds(5), "the forged response counted",
                () -> agent.counters().dropped(StunDropReason.UNKNOWN_TRANSACTION) >= 1);
        assertEquals(new InetSocketAddress("10.2.0.1", 51820), agent.reflexive().orElseThrow());
        assertEquals(wgDropsBefore, agent.wireGuard().counters().nonZero(), "WireGuard never saw the STUN datagram");
    }

    @Test
    void symmetricNatMapsPerDestination() throws Exception {
        StunAgent agent = run(true, MetricsServer.newRegistry());
        assertEquals(MappingBehaviour.ENDPOINT_DEPENDENT, agent.behaviour(), agent.answers().toString());
        var seen = agent.answers().values().stream().toList();
        assertEquals("10.2.0.1", seen.get(0).getAddress().getHostAddress());
        assertNotEquals(seen.get(0).getPort(), seen.get(1).getPort());
        Wait.until(Duration.ofSeconds(5), "the STUN status published",
                () -> nat.status().containsKey(agent.wireGuard().name())
                        && nat.status().get(agent.wireGuard().name()).servers().size() == 2);
        assertEquals("endpoint-dependent", nat.status().get(agent.wireGuard().name()).mapping());
    }
}
