package io.warren.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.testlab.LabProcess;
import io.warren.testlab.NetLab;
import io.warren.testlab.Netns;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real TAP device in a fresh namespace, with a Java "host" behind it that answers ARP (RFC 826)
 * and IPv6 neighbor solicitations (RFC 4861) for its own address, then ICMP echo: the kernel must
 * resolve the Java host's MAC and get every ping answered.
 */
class TapArpPingIT {
    @RegisterExtension
    static final NetLab lab = NetLab.create();

    private static final byte[] PEER_MAC = {0x02, 0x57, 0x41, 0x52, 0x52, 0x4e};
    private static final byte[] PEER_IPV4 = {10, 9, 3, 2};

    @Test
    void ipv4PingOverTapResolvesArpFromJava() throws Exception {
        pingThroughTap("ta4", "10.9.3.1/24", "10.9.3.2");
    }

    @Test
    void ipv6PingOverTapResolvesNdpFromJava() throws Exception {
        pingThroughTap("ta6", "fd00:93::1/64", "fd00:93::2");
    }

    private void pingThroughTap(String nsName, String localCidr, String peer) throws Exception {
        lab.requireRoot();
        lab.requireTools("ping", "ip");
        Netns ns = lab.netns(nsName);
        LinuxTunDevice tap = ns.call(() -> LinuxTun.open(TunOptions.builder().name("wp%d").mode(TunMode.TAP).build()));
        try (ResponderLoop responder = new ResponderLoop(tap,
                frame -> EchoResponder.answerEthernet(frame, PEER_MAC, PEER_IPV4))) {
            assertEquals(TunMode.TAP, tap.mode());
            ns.addr(tap.name(), localCidr);
            ns.up(tap.name());
            LabProcess ping = lab.spawn(ns, "ping", "-n", "-c", "20", "-i", "0.01", "-W", "2", peer);
            int rc = ping.waitFor(Duration.ofSeconds(30));
            assertEquals(0, rc, ping.output());
            assertTrue(ping.output().contains(" 0% packet loss"), ping.output());
            String neigh = ns.exec("ip", "neigh", "show", peer).stdout();
            assertTrue(neigh.contains("02:57:41:52:52:4e"), "neighbor entry: " + neigh);
            assertNull(responder.failure());
        }
    }
}
