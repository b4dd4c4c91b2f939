package io.warren.gateway.l2;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.warren.gateway.config.TunnelConfig;
import io.warren.gateway.config.TunnelOverhead;
import io.warren.gateway.config.TunnelParams;
import io.warren.gateway.config.TunnelType;
import io.warren.gateway.encap.l2tpv3.L2SpecificSublayer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * {@link TunnelOverhead} (what {@code warren check} and the factory's MTU check subtract) counts
 * exactly the bytes each L2 encapsulation writes: outer IP + [UDP] + the codec's header + Ethernet,
 * for every combination of GRE options, L2TPv3 encapsulation, cookie and sublayer, over IPv4 and IPv6.
 */
class L2OverheadTest {

    private static TunnelConfig l2(TunnelType type, TunnelParams p) {
        return new TunnelConfig("t", type, true, Optional.empty(), List.of("192.0.2.1"), p, Optional.empty(),
                OptionalInt.empty(), Optional.empty(), OptionalInt.empty(), List.of());
    }

    private static List<TunnelConfig> everyVariant() {
        List<TunnelConfig> all = new ArrayList<>();
        all.add(l2(TunnelType.VXLAN, new TunnelParams.Vxlan(7, 4789)));
        for (int bits = 0; bits < 8; bits++) {
            OptionalLong key = (bits & 1) != 0 ? OptionalLong.of(9) : OptionalLong.empty();
            boolean seq = (bits & 2) != 0;
            boolean csum = (bits & 4) != 0;
            all.add(l2(TunnelType.GRE, new TunnelParams.Gre(key, seq, csum)));
            all.add(l2(TunnelType.GRE_UDP, new TunnelParams.GreUdp(key, 4754, seq, csum, TunnelParams.MssClamp.AUTO)));
        }
        for (boolean udp : new boolean[] {false, true}) {
            for (int cookie : new int[] {0, 4, 8}) {
                for (L2SpecificSublayer sub : L2SpecificSublayer.values()) {
                    // Only the cookie sent counts: the received one is given another length on purpose.
                    all.add(l2(TunnelType.L2TPV3, new TunnelParams.L2tpv3(1, 2, new TunnelParams.Cookie(5, 8 - cookie),
                            new TunnelParams.Cookie(6, cookie), udp, 1701, false, sub)));
                }
            }
        }
        return all;
    }

    @Test
    void overheadIsOuterIpUdpTheCodecsHeaderAndEthernet() {
        for (TunnelConfig c : everyVariant()) {
            L2TunnelFactory.Overlay o = L2TunnelFactory.overlay(c);
            for (boolean v6 : new boolean[] {false, true}) {
                int expected = (v6 ? 40 : 20) + (o.udp() ? 8 : 0) + o.encap().headerLength() + L2Switch.ETHERNET_HEADER;
                assertEquals(expected, TunnelOverhead.of(c, v6).bytes(), c.params() + (v6 ? " over IPv6" : " over IPv4"));
            }
        }
    }

    @Test
    void theSumNamesEveryHeader() {
        TunnelConfig vx = l2(TunnelType.VXLAN, new TunnelParams.Vxlan(7, 4789));
        assertEquals("1500 - 70 bytes of outer IP, UDP, VXLAN and Ethernet headers = 1430",
                TunnelOverhead.of(vx, true).arithmetic(1500));
        TunnelConfig pw = l2(TunnelType.L2TPV3, new TunnelParams.L2tpv3(1, 2, TunnelParams.Cookie.NONE,
                TunnelParams.Cookie.NONE, false, 1701, false, L2SpecificSublayer.NONE));
        assertEquals("1420 - 38 bytes of outer IP, L2TPv3 and Ethernet headers = 1382",
                TunnelOverhead.of(pw, false).arithmetic(1420));
    }
}
