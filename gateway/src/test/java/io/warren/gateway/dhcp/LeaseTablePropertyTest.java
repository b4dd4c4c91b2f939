package io.warren.gateway.dhcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Random offers, binds, removals, quarantines and expiries on {@link LeaseTable}, used as the core
 * uses it (only where {@code freeFor} allows), checked after every step against slow scans of every
 * address: the counters, the per-client and per-name indexes, one lease per client, expiry.
 */
class LeaseTablePropertyTest {

    private static final int ADDRESSES = 12;
    private static final int CLIENTS = 6;

    private static int address(int i) {
        return Msgs.ip("10.9.0.100") + i;
    }

    private static String mac(int client) {
        return DhcpText.hex(Msgs.mac(client));
    }

    private static String key(int client) {
        return ClientKeys.of(Optional.empty(), mac(client));
    }

    @Test
    void indexesAndCountersMatchAScanOfEveryAddress() {
        for (long seed = 1; seed <= 40; seed++) {
            run(new SplittableRandom(seed));
        }
    }

    private void run(SplittableRandom rnd) {
        LeaseTable t = new LeaseTable();
        long now = rnd.nextLong();
        for (int step = 0; step < 3000; step++) {
            int c = rnd.nextInt(CLIENTS);
            int a = address(rnd.nextInt(ADDRESSES));
            now += rnd.nextInt(30);
            switch (rnd.nextInt(6)) {
                case 0, 1 -> {
                    if (t.freeFor(a, key(c))) {
                        t.offer(a, key(c), "lan", now + 1 + rnd.nextInt(60));
                    }
                }
                case 2 -> {
                    if (t.freeFor(a, key(c))) {
                        long until = now + 1 + rnd.nextInt(200);
                        Optional<String> name = rnd.nextInt(3) == 0 ? Optional.empty() : Optional.of("h" + c);
                        t.bind(new DhcpLease("lan", DhcpText.inet(a), mac(c), Optional.empty(), name, until, false), until);
                    }
                }
                case 3 -> t.remove(a);
                case 4 -> {
                    if (rnd.nextInt(4) == 0) {
                        t.quarantine(a, "lan", now + 1 + rnd.nextInt(100), "c" + rnd.nextInt(4));
                    }
                }
                default -> {
                    for (LeaseTable.Binding b : t.expire(now)) {
                        assertTrue(b.expiresAt() - now <= 0, "expired early");
                    }
                }
            }
            check(t, now);
        }
    }

    private static void check(LeaseTable t, long now) {
        int leased = 0;
        int offered = 0;
        int declined = 0;
        Map<String, Integer> leasesPerClient = new HashMap<>();
        for (int i = 0; i < ADDRESSES; i++) {
            Optional<LeaseTable.Binding> b = t.atAddress(address(i));
            if (b.isEmpty()) {
                continue;
            }
            LeaseTable.Binding x = b.get();
            assertEquals(address(i), x.address());
            if (x.state() == LeaseTable.State.LEASED) {
                leased++;
                leasesPerClient.merge(x.clientKey(), 1, Integer::sum);
                x.lease().hostName().ifPresent(n -> assertEquals(Optional.of(x.address()),
                        t.nameHolder(n).map(LeaseTable.Binding::address), "name index of " + n));
            } else if (x.state() == LeaseTable.State.OFFERED) {
                offered++;
            } else {
                declined++;
            }
        }
        int byDecliner = 0;
        for (int c = 0; c < 4; c++) {
            byDecliner += t.quarantinedBy("c" + c);
        }
        assertEquals(declined, byDecliner, "quarantined addresses counted by the client that declined them");
        assertEquals(leased, t.leased());
        assertEquals(leased + offered, t.held());
        assertEquals(leased, t.leases().size());
        leasesPerClient.forEach((k, n) -> assertEquals(1, n, "leases of " + k));
        for (int c = 0; c < CLIENTS; c++) {
            String k = key(c);
            t.ofClient(k).ifPresent(b -> assertEquals(k, b.clientKey()));
            if (leasesPerClient.containsKey(k)) {
                assertEquals(LeaseTable.State.LEASED, t.ofClient(k).orElseThrow().state(), "a client's lease is found");
            }
            Optional<LeaseTable.Binding> named = t.nameHolder("h" + c);
            named.ifPresent(b -> assertEquals(LeaseTable.State.LEASED, b.state()));
        }
        assertTrue(t.expiryEntries() <= 2 * ADDRESSES + 4096 + 1);
    }
}
