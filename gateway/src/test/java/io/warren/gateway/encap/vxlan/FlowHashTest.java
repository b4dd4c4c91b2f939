package io.warren.gateway.encap.vxlan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.warren.gateway.packet.Bufs;
import io.warren.gateway.packet.Fixtures;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FlowHashTest {

    private static final String ETH = "021122334455" + "0266778899aa";
    private static final String ETH_V4_SYN = ETH + "0800" + Fixtures.V4_SYN;
    private static final String ETH_VLAN_V4_SYN = ETH + "8100" + "2064" + "0800" + Fixtures.V4_SYN;

    private final Bufs bufs = new Bufs();
    private final FlowHash hash = new FlowHash(0x1234abcd);

    @AfterEach
    void release() {
        bufs.close();
    }

    private int hashOf(String hex) {
        ByteBuf frame = bufs.hex(hex, 2);
        int h = hash.hashEthernet(frame);
        assertEquals(2, frame.readerIndex());
        return h;
    }

    @Test
    void portRangeEndsAreReachable() {
        assertEquals(49152, FlowHash.sourcePort(0));
        assertEquals(65535, FlowHash.sourcePort(-1));
        assertEquals(49152 + 8192, FlowHash.sourcePort(0x80000000));
    }

    @Test
    void sameFlowSameHashAndSeedMatters() {
        assertEquals(hashOf(ETH_V4_SYN), hashOf(ETH_V4_SYN));
        assertNotEquals(hashOf(ETH_V4_SYN), new FlowHash(1).hashEthernet(bufs.hex(ETH_V4_SYN)));
    }

    @Test
    void everyHashedFieldChangesTheHash() {
        int base = hashOf(ETH_V4_SYN);
        // Byte offsets in the frame: dst MAC, src MAC, EtherType-dependent fields, IP protocol,
        // src/dst address, source and destination ports.
        int[] offsets = {0, 5, 6, 11, 14 + 9, 14 + 12, 14 + 15, 14 + 16, 14 + 19, 14 + 20, 14 + 21, 14 + 22, 14 + 23};
        byte[] frame = Bufs.decode(ETH_V4_SYN);
        for (int offset : offsets) {
            byte[] changed = frame.clone();
            changed[offset] ^= 0x10;
            assertNotEquals(base, hash.hashEthernet(bufs.bytes(changed, 0)), "offset " + offset);
        }
        // Fields outside the flow (TTL, TCP sequence number) do not change it.
        byte[] ttl = frame.clone();
        ttl[14 + 8] ^= 0x10;
        assertEquals(base, hash.hashEthernet(bufs.bytes(ttl, 0)));
        byte[] seq = frame.clone();
        seq[14 + 24] ^= 0x10;
        assertEquals(base, hash.hashEthernet(bufs.bytes(seq, 0)));
    }

    @Test
    void vlanTagAndIpv6AreParsed() {
        assertNotEquals(hashOf(ETH_V4_SYN), hashOf(ETH_VLAN_V4_SYN));
        String v6 = ETH + "86dd" + Fixtures.V6_SYN;
        byte[] frame = Bufs.decode(v6);
        byte[] otherPort = frame.clone();
        otherPort[14 + 41] ^= 1;
        assertNotEquals(hash.hashEthernet(bufs.bytes(frame, 0)), hash.hashEthernet(bufs.bytes(otherPort, 0)));
        ByteBuf ip = bufs.hex(Fixtures.V6_SYN);
        assertEquals(hash.hashIp(ip), hash.hashIp(bufs.hex(Fixtures.V6_SYN)));
    }

    @Test
    void ipv4FragmentsHashWithoutPorts() {
        byte[] frame = Bufs.decode(ETH_V4_SYN);
        frame[14 + 6] = 0x20; // MF: ports no longer hashed
        byte[] otherPort = frame.clone();
        otherPort[14 + 21] ^= 1;
        assertEquals(hash.hashEthernet(bufs.bytes(frame, 0)), hash.hashEthernet(bufs.bytes(otherPort, 0)));
    }

    @Test
    void flowsSpreadOverPorts() {
        Set<Integer> ports = new HashSet<>();
        byte[] frame = Bufs.decode(ETH_V4_SYN);
        for (int sport = 0; sport < 1000; sport++) {
            frame[14 + 20] = (byte) (sport >> 8);
            frame[14 + 21] = (byte) sport;
            int port = FlowHash.sourcePort(hash.hashEthernet(bufs.bytes(frame, 0)));
            assertTrue(port >= 49152 && port <= 65535);
            ports.add(port);
        }
        assertTrue(ports.size() > 900, "distinct ports " + ports.size());
    }

    @Test
    void shortAndRandomInputNeverThrows() {
        byte[] frame = Bufs.decode(ETH_VLAN_V4_SYN);
        for (int n = 0; n <= frame.length; n++) {
            hash.hashEthernet(bufs.bytes(Arrays.copyOf(frame, n), 0));
            hash.hashIp(bufs.bytes(Arrays.copyOfRange(frame, 18, Math.max(18, n)), 0));
        }
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 5000; i++) {
            byte[] data = new byte[random.nextInt(0, 80)];
            random.nextBytes(data);
            if (data.length > 13) {
                data[12] = (byte) 0x86;
                data[13] = (byte) (random.nextBoolean() ? 0xdd : 0xa8);
            }
            hash.hashEthernet(bufs.bytes(data, 0));
            hash.hashIp(bufs.bytes(data, 0));
        }
    }
}
