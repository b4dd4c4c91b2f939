package io.warren.gateway.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.warren.gateway.config.TunnelConfig;
import io.warren.gateway.config.TunnelParams;
import io.warren.gateway.config.TunnelType;
import io.warren.gateway.l2.L2TunnelFactory;
import io.warren.gateway.tunnel.TunnelFactory;
import io.warren.gateway.tunnel.gre.GreTunnelFactory;
import io.warren.routing.RouteTable;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * Every tunnel type and mode the config accepts has exactly one standard factory: none is left to
 * validate and then be logged as "no tunnel implementation" (as L2 GRE once was).
 */
class StandardFactoriesTest {

    private static TunnelConfig config(TunnelType type, boolean layer2, TunnelParams p) {
        return new TunnelConfig("t0", type, layer2, Optional.empty(), List.of("192.0.2.1"), p, Optional.empty(),
                OptionalInt.empty(), Optional.empty(), OptionalInt.empty(), List.of());
    }

    private static Class<?> factoryOf(TunnelConfig c) {
        List<TunnelFactory> all = TunnelService.standardFactories(new RouteTable());
        List<TunnelFactory> supporting = all.stream().filter(f -> f.supports(c)).toList();
        assertEquals(1, supporting.size(), c.type() + (c.layer2() ? " l2" : " l3") + ": " + supporting);
        return supporting.get(0).getClass();
    }

    @Test
    void eachTypeAndModeHasOneFactory() {
        TunnelParams gre = new TunnelParams.Gre(OptionalLong.of(1), false, false);
        TunnelParams greUdp = new TunnelParams.GreUdp(OptionalLong.empty(), 4754);
        assertEquals(GreTunnelFactory.class, factoryOf(config(TunnelType.GRE, false, gre)));
        assertEquals(GreTunnelFactory.class, factoryOf(config(TunnelType.GRE_UDP, false, greUdp)));
        assertEquals(L2TunnelFactory.class, factoryOf(config(TunnelType.GRE, true, gre)));
        assertEquals(L2TunnelFactory.class, factoryOf(config(TunnelType.GRE_UDP, true, greUdp)));
        assertEquals(L2TunnelFactory.class, factoryOf(config(TunnelType.VXLAN, true, new TunnelParams.Vxlan(5, 4789))));
        assertEquals(L2TunnelFactory.class, factoryOf(config(TunnelType.L2TPV3, true, new TunnelParams.L2tpv3(1, 2,
                TunnelParams.Cookie.NONE, TunnelParams.Cookie.NONE, false, 1701, false))));
    }
}
