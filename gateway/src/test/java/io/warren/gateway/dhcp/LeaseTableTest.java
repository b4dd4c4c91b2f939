package io.warren.gateway.dhcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LeaseTableTest {

    private static DhcpLease lease(int last, long expires) {
        return new DhcpLease("lan", DhcpText.inet(Msgs.ip("10.9.0." + last)), "02:11:22:33:44:" + String.format("%02x", last),
                Optional.empty(), Optional.of("h" + last), expires, false);
    }

    @Test
    void renewalsDoNotGrowTheExpiryHeapWithoutBound() {
        LeaseTable t = new LeaseTable();
        for (long round = 1; round <= 2000; round++) {
            for (int c = 1; c <= 10; c++) {
                t.bind(lease(c, round * 1000 + c), round * 1000 + c);
            }
        }
        assertEquals(10, t.leased());
        assertTrue(t.expiryEntries() <= 2 * 10 + 4096 + 1, "heap entries " + t.expiryEntries());
        assertEquals(List.of(), t.expire(1_999_000));
        assertEquals(10, t.expire(2_000_010).size());
        assertEquals(0, t.leased());
    }

    @Test
    void aClientMovingAddressFreesTheOldOneAndRemembersIt() {
        LeaseTable t = new LeaseTable();
        DhcpLease a = lease(1, 100);
        t.bind(a, 100);
        DhcpLease moved = new DhcpLease("lan", DhcpText.inet(Msgs.ip("10.9.0.2")), a.hardwareAddress(), Optional.empty(),
                a.hostName(), 200, false);
        List<LeaseTable.Binding> before = t.bind(moved, 200);
        assertEquals(1, before.size());
        assertEquals(Msgs.ip("10.9.0.1"), before.get(0).address());
        assertTrue(t.atAddress(Msgs.ip("10.9.0.1")).isEmpty());
        assertEquals(Optional.of(Msgs.ip("10.9.0.1")), t.previousAddress(a.clientKey()));
        assertEquals(1, t.held());
    }
}
