package io.warren.gateway.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Ipv4Fragmenter} on random IPv4 packets and MTUs (seeded): valid packets give the result a
 * reference of RFC 791 §3.2 predicts, and their fragments reassemble, by the slow reference of
 * {@link Ipv4FragmenterForgeryTest#checkFragments}, to the original; damaged packets never throw and
 * whatever fragments they give are valid too.
 */
class Ipv4FragmenterPropertyTest {
    private static final int PACKETS = 3_000;

    @Test
    void validPacketsFragmentAndReassemble() {
        Random r = new Random(0x5EED_0005L);
        int fragmented = 0;
        for (int i = 0; i < PACKETS; i++) {
            Forge f = v4(r);
            byte[] p = RandomPackets.build(f);
            int mtu = mtu(r);
            String got = Ipv4FragmenterForgeryTest.fragmentChecked(p, mtu);
            assertEquals(expected(f, p, mtu), got.chars().allMatch(Character::isDigit) ? "fragments" : got,
                    "packet " + i + " MTU " + mtu);
            fragmented += got.chars().allMatch(Character::isDigit) ? 1 : 0;
        }
        assertTrue(fragmented > PACKETS / 10, fragmented + " fragmented");
    }

    @Test
    void damagedPacketsNeverThrow() {
        Random r = new Random(0x5EED_0006L);
        for (int i = 0; i < PACKETS; i++) {
            byte[] p = RandomPackets.mutate(r, RandomPackets.build(v4(r)));
            Ipv4FragmenterForgeryTest.fragmentChecked(p, mtu(r));
        }
    }

    private static Forge v4(Random r) {
        Forge f;
        do {
            f = RandomPackets.valid(r);
        } while (f.version != 4);
        if (r.nextInt(3) > 0) {
            f.flagsWord &= ~0x4000;
        }
        return f;
    }

    private static int mtu(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> r.nextInt(100);
            case 1 -> 68 + r.nextInt(100);
            default -> 68 + r.nextInt(1600);
        };
    }

    private static String expected(Forge f, byte[] p, int mtu) {
        int ihl = 20 + f.ipOptions.length;
        if (p.length <= mtu) {
            return "fits";
        }
        if ((f.flagsWord & 0x4000) != 0) {
            return "DONT_FRAGMENT";
        }
        if (mtu < 68 || mtu - ihl < 8) {
            return "MTU_TOO_SMALL";
        }
        if ((f.flagsWord & 0x1FFF) * 8 + p.length - ihl > 65_515) {
            return "MALFORMED";
        }
        return "fragments";
    }
}
