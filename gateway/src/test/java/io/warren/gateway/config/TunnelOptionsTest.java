package io.warren.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * The per-tunnel options of L3 GRE and GRE-in-UDP (RFC 2890 key and sequence numbers, RFC 2784
 * checksum, {@code mss-clamp}) and {@code forwarding}: parsed into the right fields with their
 * defaults, and a change of any of them makes the tunnel "changed" for a reload (reopened).
 */
class TunnelOptionsTest {
    private static WarrenConfig parse(String text) {
        ConfigResult r = new ConfigParser(new FakeSecretFiles(), Path.of("/")).parse("w.toml", text);
        assertTrue(r.isValid(), r.problems().toString());
        assertEquals(List.of(), r.problems());
        return r.config().orElseThrow();
    }

    private static final String GU = "[tunnel.gu]\ntype = \"gre-udp\"\nremote = \"192.0.2.2\"\n";

    @Test
    void greUdpDefaultsHaveNoOptionsAndClampToTheMtu() {
        TunnelConfig t = parse(GU).tunnels().get("gu");
        assertEquals(new TunnelParams.GreUdp(OptionalLong.empty(), 4754, false, false, TunnelParams.MssClamp.AUTO),
                t.params());
        assertEquals(Forwarding.OFF, t.forwarding());
    }

    @Test
    void greUdpTakesKeySequenceChecksumAndAnMssCeiling() {
        TunnelConfig t = parse(GU + "key = 9\nsequence = true\nchecksum = true\nmss-clamp = 1360\n").tunnels().get("gu");
        assertEquals(new TunnelParams.GreUdp(OptionalLong.of(9), 4754, true, true, TunnelParams.MssClamp.atMost(1360)),
                t.params());
    }

    @Test
    void greMssClampOffAndOn() {
        String gre = "[tunnel.g]\ntype = \"gre\"\nremote = \"192.0.2.2\"\n";
        assertEquals(TunnelParams.MssClamp.OFF,
                ((TunnelParams.Gre) parse(gre + "mss-clamp = false\n").tunnels().get("g").params()).mssClamp());
        assertEquals(TunnelParams.MssClamp.AUTO,
                ((TunnelParams.Gre) parse(gre + "mss-clamp = true\n").tunnels().get("g").params()).mssClamp());
    }

    @Test
    void forwardingListsTheTunnelDeviceFirstThenTheLanPorts() {
        TunnelConfig t = parse(GU + "forwarding = true\nforwarding-interfaces = [\"lan0\", \"gu\", \"eth2\"]\n")
                .tunnels().get("gu");
        assertTrue(t.forwarding().enabled());
        assertEquals(List.of("gu", "lan0", "eth2"), t.forwarding().devices("gu"));
        assertEquals(List.of(), Forwarding.OFF.devices("gu"));
    }

    @Test
    void forwardingIsAllowedOnEveryTunnelType() {
        TunnelConfig t = parse("[tunnel.vx]\ntype = \"vxlan\"\nvni = 5\nremote = \"192.0.2.2\"\nforwarding = true\n")
                .tunnels().get("vx");
        assertEquals(List.of("vx"), t.forwarding().devices("vx"));
    }

    @Test
    void changingAnyOptionMakesTheTunnelChangedOnReload() {
        WarrenConfig before = parse(GU + "key = 9\n");
        for (String extra : List.of("sequence = true\n", "checksum = true\n", "mss-clamp = false\n",
                "mss-clamp = 1300\n", "forwarding = true\n")) {
            WarrenConfig after = parse(GU + "key = 9\n" + extra);
            ConfigDiff d = ConfigDiff.between(before, after);
            assertEquals(List.of("gu"), List.copyOf(d.tunnels().changed().keySet()), extra);
        }
        assertFalse(ConfigDiff.between(before, parse(GU + "key = 9\nmss-clamp = true\n")).tunnels()
                .changed().containsKey("gu"), "mss-clamp = true is the default");
    }

    @Test
    void encryptedGreMtuThatFitsIsAccepted() {
        String wg = "[interface.wg0]\nprivate-key = \"wK3EJPcxao7yQv3OKzQAmk9WKxxinyn+fKgKba6UlWg=\"\nmtu = 1420\n"
                + "[[interface.wg0.peer]]\nname = \"b\"\npublic-key = \"EJl44V2Zu+9iFP2bC3mCaD9cylJmMs3fAS6maFL3IjI=\"\n"
                + "allowed-ips = [\"10.0.0.2/32\"]\n";
        TunnelConfig t = parse(wg + "[tunnel.eg]\ntype = \"gre-udp\"\nremote = \"10.0.0.2\"\nencrypted-via = \"wg0/b\"\n"
                + "mtu = 1388\n").tunnels().get("eg");
        assertEquals("wg0/b", t.encryptedVia().orElseThrow());
    }
}
