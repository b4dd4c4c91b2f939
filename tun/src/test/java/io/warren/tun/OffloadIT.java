package io.warren.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.testlab.ExecResult;
import io.warren.testlab.NetLab;
import io.warren.testlab.Netns;
import io.warren.testlab.Wait;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code IFF_VNET_HDR} with {@code TUNSETOFFLOAD CSUM|TSO4|TSO6|USO4|USO6}: a 14,000-byte
 * {@code UDP_SEGMENT} send (gso_size 1400) must arrive as ONE read, a virtio-net header with
 * {@code GSO_UDP_L4} and gso_size 1400 followed by the whole super-packet.
 */
class OffloadIT {
    @RegisterExtension
    static final NetLab lab = NetLab.create();

    private static final String SEND_USO = "import socket\n"
            + "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
            + "s.setsockopt(17, 103, 1400)  # SOL_UDP, UDP_SEGMENT\n"
            + "s.sendto(b'w' * 14000, ('10.9.7.2', 9))\n";

    @Test
    void udpSegmentSendArrivesAsOneGsoRead() throws Exception {
        lab.requireRoot();
        lab.requireTools("ip", "python3");
        Netns ns = lab.netns("off");
        ns.sysctl("net.ipv6.conf.all.disable_ipv6", "1");
        int offloads = IfTun.TUN_F_CSUM | IfTun.TUN_F_TSO4 | IfTun.TUN_F_TSO6 | IfTun.TUN_F_USO4 | IfTun.TUN_F_USO6;
        try (LinuxTunDevice dev = ns.call(() -> LinuxTun.open(TunOptions.builder().name("wo0").vnetHdr(true)
                .offloads(offloads).nonBlocking(true).build()))) {
            assertTrue(dev.vnetHdr());
            ns.addr("wo0", "10.9.7.1/24");
            ns.up("wo0");
            ExecResult sent = ns.exec("python3", "-c", SEND_USO);
            assertEquals(0, sent.exitCode(), sent.stderr());
            ByteBuffer dst = ByteBuffer.allocateDirect(65536 + VirtioNetHeader.SIZE);
            Wait.until(Duration.ofSeconds(5), "the GSO super-packet read", () -> read(dev, dst) > 0);
            dst.flip();
            assertEquals(VirtioNetHeader.SIZE + 20 + 8 + 14000, dst.limit(), "one read of the whole send");
            VirtioNetHeader.Ok ok = assertInstanceOf(VirtioNetHeader.Ok.class, VirtioNetHeader.decode(dst));
            assertEquals(VirtioNetHeader.GSO_UDP_L4, ok.header().gsoType());
            assertEquals(1400, ok.header().gsoSize());
            assertEquals(VirtioNetHeader.F_NEEDS_CSUM, ok.header().flags() & VirtioNetHeader.F_NEEDS_CSUM);
            assertEquals(20, ok.header().csumStart(), "checksum starts at the UDP header");
            assertEquals(6, ok.header().csumOffset(), "UDP checksum field offset");
            assertEquals(0x45, dst.get(VirtioNetHeader.SIZE) & 0xff, "IPv4 header follows the vnet header");
        }
    }

    private static int read(TunDevice dev, ByteBuffer dst) {
        try {
            return dev.read(dst);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
