package io.warren.gateway.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link MssClamp} on random packets (seeded): valid ones give the outcome a slow reference
 * predicts (a receiver's reading of the options, {@link TcpRef}); valid and damaged ones alike meet
 * the invariants of {@link MssClampForgeryTest#clampChecked}: nothing thrown, untouched unless
 * clamped, only MSS values and the checksum rewritten, checksum residue kept, MSS only lowered.
 */
class MssClampPropertyTest {
    private static final int PACKETS = 4_000;

    @Test
    void validPacketsGiveTheReferenceOutcome() {
        Random r = new Random(0x5EED_0001L);
        Map<MssClamp.Outcome, Integer> seen = new EnumMap<>(MssClamp.Outcome.class);
        for (int i = 0; i < PACKETS; i++) {
            Forge f = RandomPackets.valid(r);
            byte[] p = RandomPackets.build(f);
            int limit = r.nextBoolean() ? 1200 + r.nextInt(300) : r.nextInt(0x10000);
            MssClamp.Outcome outcome = MssClampForgeryTest.clampChecked(p, limit);
            assertEquals(expected(p, limit), outcome, "packet " + i + " limit " + limit);
            seen.merge(outcome, 1, Integer::sum);
        }
        for (MssClamp.Outcome o : MssClamp.Outcome.values()) {
            assertTrue(seen.getOrDefault(o, 0) > PACKETS / 100, "outcome " + o + " seen " + seen.get(o) + " times");
        }
    }

    @Test
    void damagedPacketsNeverThrowNorBreakInvariants() {
        Random r = new Random(0x5EED_0002L);
        for (int i = 0; i < PACKETS; i++) {
            byte[] p = RandomPackets.mutate(r, RandomPackets.build(RandomPackets.valid(r)));
            MssClampForgeryTest.clampChecked(p, r.nextInt(0x10000));
        }
    }

    private static MssClamp.Outcome expected(byte[] p, int limit) {
        int tcp = TcpRef.tcpOffset(p);
        boolean v4 = (p[0] & 0xF0) == 0x40;
        if (v4 && (p[9] != IpProtocols.TCP || (Forge.get16(p, 6) & 0x1FFF) != 0) || tcp < 0) {
            return MssClamp.Outcome.NOT_TCP;
        }
        if ((p[tcp + 13] & 0x02) == 0) {
            return MssClamp.Outcome.NOT_SYN;
        }
        List<Integer> values = TcpRef.mssValues(p);
        if (values.isEmpty()) {
            return TcpRef.optionsMalformed(p) ? MssClamp.Outcome.MALFORMED : MssClamp.Outcome.NO_MSS_OPTION;
        }
        return values.stream().anyMatch(v -> v > limit) ? MssClamp.Outcome.CLAMPED : MssClamp.Outcome.UNCHANGED;
    }
}
