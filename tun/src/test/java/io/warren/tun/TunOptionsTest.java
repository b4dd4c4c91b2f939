package io.warren.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TunOptionsTest {
    @Test
    void defaultsAreSingleQueueBlockingTunWithNoPi() {
        TunOptions o = TunOptions.builder().build();
        assertEquals("", o.name());
        assertEquals(TunMode.TUN, o.mode());
        assertEquals(1, o.queues());
        assertFalse(o.multiQueue());
        assertFalse(o.vnetHdr());
        assertFalse(o.nonBlocking());
        assertEquals(IfTun.IFF_TUN | IfTun.IFF_NO_PI, o.iffFlags());
    }

    @Test
    void everyOptionReachesTheIffFlags() {
        TunOptions o = TunOptions.builder().name("wt%d").mode(TunMode.TAP).multiQueue(4).vnetHdr(true)
                .offloads(IfTun.TUN_F_CSUM | IfTun.TUN_F_TSO4 | IfTun.TUN_F_USO6).nonBlocking(true).build();
        assertEquals("wt%d", o.name());
        assertEquals(4, o.queues());
        assertTrue(o.multiQueue());
        assertTrue(o.nonBlocking());
        assertEquals(0x01 | 0x02 | 0x40, o.offloads());
        assertEquals(0x0002 | 0x1000 | 0x0100 | 0x4000, o.iffFlags());
    }

    @Test
    void usoWithoutCsumIsRejectedWithAClearMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TunOptions.builder()
                .vnetHdr(true).offloads(IfTun.TUN_F_USO4 | IfTun.TUN_F_USO6).build());
        assertTrue(e.getMessage().contains("TUN_F_CSUM"), e.getMessage());
    }

    @Test
    void offloadsWithoutVnetHdrAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TunOptions.builder().offloads(IfTun.TUN_F_CSUM).build());
        assertTrue(e.getMessage().contains("vnetHdr"), e.getMessage());
    }

    @Test
    void unknownOffloadBitsAreRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> TunOptions.builder().vnetHdr(true).offloads(IfTun.TUN_F_CSUM | 0x10).build());
    }

    @Test
    void badNamesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> TunOptions.builder().name("sixteen-chars-xx").build());
        assertThrows(IllegalArgumentException.class, () -> TunOptions.builder().name("has space").build());
        assertThrows(IllegalArgumentException.class, () -> TunOptions.builder().name("a/b").build());
        assertThrows(IllegalArgumentException.class, () -> TunOptions.builder().name("wt%s").build());
        assertThrows(IllegalArgumentException.class, () -> TunOptions.builder().name("w%d%d").build());
        assertEquals("fifteen-chars-x", TunOptions.builder().name("fifteen-chars-x").build().name());
    }

    @Test
    void queueCountIsBounded() {
        assertThrows(IllegalArgumentException.class, () -> TunOptions.builder().multiQueue(0));
        assertThrows(IllegalArgumentException.class, () -> TunOptions.builder().multiQueue(257));
    }
}
