package io.warren.gateway.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link IcmpErrors} on random offending packets (seeded): for valid ones an error is built exactly
 * when a slow reference of RFC 1122 §3.2.2 / RFC 1812 §4.3.2.7 / RFC 4443 §2.4 (e) allows one; for
 * valid and damaged ones alike nothing is thrown, the offending packet is untouched and a built
 * error is a valid packet quoting what fits ({@link IcmpErrorsForgeryTest#errorChecked}).
 */
class IcmpErrorsPropertyTest {
    private static final int PACKETS = 2_500;

    @Test
    void validPacketsAreAnsweredExactlyWhenTheRfcsAllow() {
        Random r = new Random(0x5EED_0003L);
        int built = 0;
        for (int i = 0; i < PACKETS; i++) {
            Forge f = RandomPackets.valid(r);
            byte[] p = RandomPackets.build(f);
            boolean answered = IcmpErrorsForgeryTest.errorChecked(p, f.version) == null;
            assertEquals(allowed(f, p), answered, "packet " + i);
            built += answered ? 1 : 0;
        }
        assertTrue(built > PACKETS / 4 && built < PACKETS * 9 / 10, built + " of " + PACKETS + " answered");
    }

    @Test
    void damagedPacketsNeverThrow() {
        Random r = new Random(0x5EED_0004L);
        for (int i = 0; i < PACKETS; i++) {
            byte[] p = RandomPackets.mutate(r, RandomPackets.build(RandomPackets.valid(r)));
            IcmpErrorsForgeryTest.errorChecked(p, 4);
            IcmpErrorsForgeryTest.errorChecked(p, 6);
        }
    }

    private static boolean allowed(Forge f, byte[] p) {
        if (f.version == 4) {
            int src = f.src4 >>> 24;
            int dst = f.dst4;
            boolean icmpError = f.protocol == IpProtocols.ICMP && !java.util.Set.of(0, 8, 9, 10, 13, 14, 15, 16, 17, 18, 42, 43).contains(f.l4[0] & 0xFF);
            return (f.flagsWord & 0x1FFF) == 0 && src != 0 && src != 127 && src < 224
                    && dst >>> 28 != 0xE && dst != -1 && !icmpError;
        }
        boolean unspecified = java.util.Arrays.equals(f.src6, new byte[16]);
        boolean multicast = (f.src6[0] & 0xFF) == 0xFF;
        boolean icmpError = f.protocol == IpProtocols.ICMPV6 && TcpRef.upper(p) >= 0 && ((f.l4[0] & 0xFF) < 128 || (f.l4[0] & 0xFF) == 137);
        return !unspecified && !multicast && !icmpError;
    }
}
