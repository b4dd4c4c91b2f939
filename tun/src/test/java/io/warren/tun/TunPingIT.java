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
 * A real TUN device in a fresh namespace, answered from Java: the kernel's {@code ping} sends ICMP
 * (and ICMPv6) echo requests routed into the TUN; a reader thread turns them into replies and writes
 * them back; ping must see every reply.
 */
class TunPingIT {
    @RegisterExtension
    static final NetLab lab = NetLab.create();

    @Test
    void ipv4PingThroughTunIsAnsweredFromJava() throws Exception {
        pingThroughTun("tp4", "10.9.0.1/24", "10.9.0.2");
    }

    @Test
    void ipv6PingThroughTunIsAnsweredFromJava() throws Exception {
        pingThroughTun("tp6", "fd00:9::1/64", "fd00:9::2");
    }

    private void pingThroughTun(String nsName, String localCidr, String peer) throws Exception {
        lab.requireRoot();
        lab.requireTools("ping", "ip");
        Netns ns = lab.netns(nsName);
        LinuxTunDevice tun = ns.call(() -> LinuxTun.open(TunOptions.builder().name("wt%d").build()));
        try (ResponderLoop responder = new ResponderLoop(tun, EchoResponder::answerIp)) {
            assertTrue(tun.name().startsWith("wt"), tun.name());
            ns.addr(tun.name(), localCidr);
            ns.up(tun.name());
            LabProcess ping = lab.spawn(ns, "ping", "-n", "-c", "20", "-i", "0.01", "-W", "2", peer);
            int rc = ping.waitFor(Duration.ofSeconds(30));
            assertEquals(0, rc, ping.output());
            assertTrue(ping.output().contains(" 0% packet loss"), ping.output());
            assertTrue(responder.answered() >= 20, "answered " + responder.answered());
            assertNull(responder.failure());
            assertEquals(0, tun.dropped(TunDrop.WRITE_MALFORMED));
        }
    }
}
