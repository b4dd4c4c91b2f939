package io.warren.gateway.control.meters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.warren.gateway.config.DhcpPoolConfig;
import io.warren.gateway.dhcp.DhcpCodec;
import io.warren.gateway.dhcp.DhcpDropReason;
import io.warren.gateway.dhcp.DhcpInterface;
import io.warren.gateway.dhcp.DhcpMessage;
import io.warren.gateway.dhcp.DhcpMessageType;
import io.warren.gateway.dhcp.DhcpNoReplyReason;
import io.warren.gateway.dhcp.DhcpOptions;
import io.warren.gateway.dhcp.DhcpServer;
import io.warren.gateway.dhcp.DhcpSettings;
import io.warren.testlab.NetLab;
import io.warren.testlab.Netns;
import io.warren.testlab.Wait;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The DHCP meters on a real server, in a namespace of its own serving its loopback (root:
 * SO_BINDTODEVICE). After a DISCOVER, an INIT-REBOOT REQUEST that binds a lease and a runt datagram,
 * the scrape shows the messages by type, the drop by reason and the pool's leases and free
 * addresses; closing the group removes every meter; promtool accepts the scrape.
 */
class DhcpMetersIT {
    @RegisterExtension
    static final NetLab lab = NetLab.create();

    private static final int SERVER_PORT = 6767;
    private Netns ns;
    private DhcpServer server;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @AfterEach
    void stop() {
        if (server != null) {
            DhcpServer s = server;
            ns.run(s::close);
        }
        registry.close();
    }

    private static int ipv4(String dotted) {
        int v = 0;
        for (String part : dotted.split("\\.")) {
            v = (v << 8) | Integer.parseInt(part);
        }
        return v;
    }

    private static byte[] wire(DhcpMessageType type, int macLast, Optional<String> requested) {
        DhcpOptions.Builder o = DhcpOptions.builder().messageType(type);
        requested.ifPresent(a -> o.addInt(50, ipv4(a)));
        byte[] mac = {0x02, 0x33, 0x00, 0x00, 0x00, (byte) macLast};
        DhcpMessage m = new DhcpMessage(1, 1, 6, 0, 0x4242_0000 + macLast, 0, 0, 0, 0, 0, 0, mac,
                new byte[0], new byte[0], o.build());
        ByteBuf b = Unpooled.buffer();
        DhcpCodec.encode(m, 1500, b);
        return ByteBufUtil.getBytes(b);
    }

    @Test
    void scrapeShowsMessagesDropsAndPoolUsage() throws Exception {
        lab.requireRoot();
        ns = lab.netns("dmeters");
        Path leaseDir = Files.createDirectories(lab.tempDir().resolve("leases"));
        // range .100-.109 (10 addresses), a static host at .105: 9 dynamic addresses.
        DhcpPoolConfig pool = DhcpPoolUsageTest.pool("loop", "127.0.0.0/8", "127.0.0.100", "127.0.0.109",
                DhcpPoolUsageTest.host("127.0.0.105"));
        DhcpInterface lo = new DhcpInterface("lan0", "lo", DhcpPoolUsageTest.ip("127.0.0.1"));
        server = ns.call(() -> DhcpServer.start(List.of(pool), leaseDir, DhcpSettings.defaults(),
                name -> Optional.of(lo), SERVER_PORT));
        // A clock a second further on each read: every scrape reads afresh (ScrapeCacheTest covers the cache).
        AtomicLong clock = new AtomicLong();
        MeterGroup group = DhcpMeters.register(registry, server, List.of(pool), () -> clock.addAndGet(1_000_000_000L));

        ns.run(() -> {
            try (DatagramSocket client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 6868))) {
                InetSocketAddress to = new InetSocketAddress("127.0.0.1", SERVER_PORT);
                for (byte[] d : List.of(wire(DhcpMessageType.DHCPDISCOVER, 1, Optional.empty()),
                        wire(DhcpMessageType.DHCPREQUEST, 2, Optional.of("127.0.0.101")), new byte[10])) {
                    client.send(new DatagramPacket(d, d.length, to));
                }
            }
        });
        Wait.until(Duration.ofSeconds(10), "the REQUEST's lease on the scrape",
                () -> Scrapes.value(registry.scrape(), "warren_dhcp_leases{pool=\"loop\"}").orElse(0.0) == 1.0);

        String s = registry.scrape();
        assertEquals(3.0, Scrapes.require(s, "warren_dhcp_received_messages_total"));
        assertEquals(1.0, Scrapes.require(s, "warren_dhcp_sent_messages_total{type=\"offer\"}"));
        assertEquals(1.0, Scrapes.require(s, "warren_dhcp_sent_messages_total{type=\"ack\"}"));
        assertEquals(0.0, Scrapes.require(s, "warren_dhcp_sent_messages_total{type=\"nak\"}"));
        assertEquals(1.0, Scrapes.require(s, "warren_dhcp_dropped_messages_total{reason=\"truncated\"}"));
        assertEquals(8.0, Scrapes.require(s, "warren_dhcp_free_addresses{pool=\"loop\"}"),
                "9 dynamic addresses, one leased; the pending offer is not a lease");
        assertEquals(0.0, Scrapes.require(s, "warren_dhcp_journal_errors_total"));
        for (DhcpDropReason r : DhcpDropReason.values()) {
            Scrapes.require(s, "warren_dhcp_dropped_messages_total{reason=\"" + r.name().toLowerCase(Locale.ROOT) + "\"}");
        }
        for (DhcpNoReplyReason r : DhcpNoReplyReason.values()) {
            Scrapes.require(s, "warren_dhcp_unanswered_messages_total{reason=\""
                    + r.name().toLowerCase(Locale.ROOT) + "\"}");
        }
        Scrapes.promtoolCheck(s);

        group.close();
        assertTrue(registry.getMeters().isEmpty(), "closing the group removes every meter");
    }
}
