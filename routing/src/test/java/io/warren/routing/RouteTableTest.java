package io.warren.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.routing.RouteTarget.Peer;
import io.warren.routing.RouteTarget.Tunnel;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Static routes: metrics per prefix, removal of one route, several tunnels and sites. */
class RouteTableTest {

    private static final Tunnel GRE_PARIS = new Tunnel("gre-paris");
    private static final Tunnel VXLAN_LYON = new Tunnel("vxlan-lyon");
    private static final Peer PEER = new Peer("xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=");

    private static int v4(String a) {
        return IpPrefix.of(a).v4Address();
    }

    @Test
    void lowestMetricWinsAndRemovingItRevealsTheNext() {
        RouteTable t = new RouteTable();
        IpPrefix site = IpPrefix.of("10.20.0.0/16");
        t.add(new Route(site, GRE_PARIS, 20));
        t.add(new Route(site, VXLAN_LYON, 10));
        t.add(new Route(site, PEER, 30));
        assertEquals(VXLAN_LYON, t.lookupV4(v4("10.20.1.1")).target());
        assertEquals(3, t.routes(site).size());

        assertTrue(t.remove(site, VXLAN_LYON));
        assertEquals(GRE_PARIS, t.lookupV4(v4("10.20.1.1")).target());
        assertFalse(t.remove(site, VXLAN_LYON), "already gone");

        t.add(new Route(site, PEER, 5)); // same (prefix, target): metric replaced
        assertEquals(new Route(site, PEER, 5), t.lookupV4(v4("10.20.1.1")));
        assertEquals(2, t.routes(site).size());

        assertTrue(t.remove(site, PEER));
        assertTrue(t.remove(site, GRE_PARIS));
        assertNull(t.lookupV4(v4("10.20.1.1")));
        assertEquals(0, t.prefixCount());
        assertEquals(List.of(), t.routes(site));
    }

    @Test
    void equalMetricKeepsTheEarliestRoute() {
        RouteTable t = new RouteTable();
        IpPrefix p = IpPrefix.of("172.16.0.0/12");
        t.add(new Route(p, GRE_PARIS, 7));
        t.add(new Route(p, VXLAN_LYON, 7));
        assertEquals(GRE_PARIS, t.lookupV4(v4("172.16.0.1")).target());
    }

    @Test
    void severalSitesTargetsAndFamiliesWithLongestMatch() {
        RouteTable t = new RouteTable();
        t.add(new Route(IpPrefix.of("0.0.0.0/0"), RouteTarget.LOCAL, 100));
        t.add(new Route(IpPrefix.of("10.0.0.0/8"), GRE_PARIS, 1));
        t.add(new Route(IpPrefix.of("10.9.0.0/16"), VXLAN_LYON, 1));
        t.add(new Route(IpPrefix.of("10.9.9.0/24"), RouteTarget.BLACKHOLE, 1));
        t.add(new Route(IpPrefix.of("2001:db8:100::/40"), PEER, 3));
        assertEquals(RouteTarget.LOCAL, t.lookupV4(v4("8.8.8.8")).target());
        assertEquals(GRE_PARIS, t.lookupV4(v4("10.1.1.1")).target());
        assertEquals(VXLAN_LYON, t.lookupV4(v4("10.9.1.1")).target());
        assertEquals(RouteTarget.BLACKHOLE, t.lookupV4(v4("10.9.9.9")).target());
        IpPrefix six = IpPrefix.of("2001:db8:1ff::1");
        assertEquals(PEER, t.lookupV6(six.hi(), six.lo()).target());
        assertNull(t.lookupV6(six.hi() ^ (1L << 40), six.lo()), "no IPv6 default");

        ByteBuffer pkt = ByteBuffer.allocate(40);
        pkt.put(16, (byte) 10).put(17, (byte) 9).put(18, (byte) 1).put(19, (byte) 2);
        assertEquals(VXLAN_LYON, t.lookupV4(pkt, 16).target());
        byte[] a = six.address();
        for (int i = 0; i < 16; i++) {
            pkt.put(24 + i, a[i]);
        }
        assertEquals(PEER, t.lookupV6(pkt, 24).target());

        assertEquals(5, t.all().size());
        assertEquals(1, t.removeTarget(VXLAN_LYON));
        assertEquals(GRE_PARIS, t.lookupV4(v4("10.9.1.1")).target());
        assertEquals(4, t.prefixCount());
    }

    @Test
    void invalidRoutesAreRejectedAtConstruction() {
        IpPrefix p = IpPrefix.of("10.0.0.0/8");
        assertThrows(IllegalArgumentException.class, () -> new Route(p, GRE_PARIS, -1));
        assertThrows(NullPointerException.class, () -> new Route(p, null, 1));
        assertThrows(IllegalArgumentException.class, () -> new Tunnel(""));
        assertThrows(IllegalArgumentException.class, () -> new Peer(""));
    }
}
