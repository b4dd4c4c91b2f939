package io.warren.gateway.l2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.gateway.config.TunnelParams.Cookie;
import io.warren.gateway.transport.Transports;
import io.warren.gateway.tunnel.Tunnel;
import io.warren.gateway.tunnel.TunnelContext;
import io.warren.testlab.ExecResult;
import io.warren.testlab.NetLab;
import io.warren.testlab.Netns;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * L2TPv3 Ethernet pseudowires Warren to Warren (there is no L2TPv3 peer on these machines: no kernel
 * l2tp module), over UDP and over IP, with cookies. Every frame on the underlay is decoded by tshark's
 * L2TPv3 dissector configured with the cookie size and sublayer, so a wrong header length, cookie or
 * Session ID shows up as an undecodable inner frame.
 */
class L2tpv3IT {
    @RegisterExtension
    static final NetLab lab = NetLab.create();

    /** What the pings, ARP and IPv6 neighbour discovery put inside the pseudowire. */
    private static final java.util.Set<String> INNER = java.util.Set.of("ICMP", "ARP", "ICMPv6");

    private Transports transports;
    private Netns a;
    private Netns b;
    private Tunnel ta;
    private Tunnel tb;

    @BeforeEach
    void requirements() {
        lab.requireRoot();
        lab.requireTools("ip", "ping", "ethtool", "tshark");
    }

    @AfterEach
    void stop() {
        if (ta != null) {
            a.run(ta::close);
        }
        if (tb != null) {
            b.run(tb::close);
        }
        if (transports != null) {
            transports.close();
        }
    }

    private void pseudowire(boolean overUdp, Cookie cookieA, Cookie cookieB, boolean sequence) {
        a = lab.netns("a");
        b = lab.netns("b");
        lab.veth(a, "ul0", b, "ul0");
        a.addr("ul0", "10.71.0.1/24");
        b.addr("ul0", "10.71.0.2/24");
        transports = Transports.create(1);
        TunnelContext ctx = new TunnelContext(transports);
        L2TunnelFactory fa = new L2TunnelFactory();
        L2TunnelFactory fb = new L2TunnelFactory();
        // A receives session 0x1001 with cookie A, sends session 0x2002 with cookie B; B the other way.
        ta = a.call(() -> fa.open(L2Lab.l2tpv3("pw0", 0x1001, 0x2002, cookieA, cookieB, "10.71.0.2", overUdp, sequence), ctx));
        tb = b.call(() -> fb.open(L2Lab.l2tpv3("pw0", 0x2002, 0x1001, cookieB, cookieA, "10.71.0.1", overUdp, sequence), ctx));
        a.addr("pw0", "10.98.0.1/24");
        b.addr("pw0", "10.98.0.2/24");
    }

    /** Pings across and returns tshark's per-frame fields: session, cookie, sequence, inner protocol. */
    private List<String> pingAndDecode(String filter, String cookieSize, String sublayer) throws Exception {
        L2Lab.Capture cap = new L2Lab.Capture(lab, b, "ul0", filter,
                "-d", "l2tp.pw_type==0,eth", "-o", "l2tp.cookie_size:" + cookieSize,
                "-o", "l2tp.l2_specific:" + sublayer, "-T", "fields", "-E", "separator=|",
                "-e", "l2tp.sid", "-e", "l2tp.cookie", "-e", "l2tp.l2_spec_sequence", "-e", "eth.type",
                "-e", "_ws.col.Protocol");
        ExecResult ping = a.execAllowFail("ping", "-c", "8", "-i", "0.2", "-W", "2", "10.98.0.2");
        List<String> lines = cap.stop();
        assertEquals(0, L2Lab.lossPercent(ping), ping.stdout() + "\nA " + ta.counters() + "\nB " + tb.counters()
                + "\n" + String.join("\n", lines));
        List<String> frames = lines.stream().filter(l -> l.matches("^(0x)?\\p{XDigit}+\\|.*")).toList();
        assertTrue(frames.size() >= 8, "decoded frames:\n" + String.join("\n", lines));
        return frames;
    }

    @Test
    void overUdpWithFourByteCookiesAndSequenceNumbers() throws Exception {
        pseudowire(true, new Cookie(0x0a0b0c0dL, 4), new Cookie(0x01020304L, 4), true);
        assertEquals("1442", a.exec("cat", "/sys/class/net/pw0/mtu").stdout().trim(),
                "1500 - IPv4 20 - UDP 8 - flags 4 - session 4 - cookie 4 - sublayer 4 - Ethernet 14");
        List<String> frames = pingAndDecode("udp port 1701", "4 Byte Cookie", "Default L2-Specific");
        assertTrue(frames.size() >= 8, String.join("\n", frames));
        int icmp = 0;
        int nextToB = -1;
        int nextToA = -1;
        for (String f : frames) {
            String[] w = f.split("\\|", -1);
            if (w[0].equals("0x00002002") && nextToB < 0) {
                nextToB = Integer.parseInt(w[2]);
            } else if (w[0].equals("0x00001001") && nextToA < 0) {
                nextToA = Integer.parseInt(w[2]);
            }
        }
        for (String f : frames) {
            String[] v = f.split("\\|", -1);
            // Frames to B carry B's session and cookie; replies carry A's.
            boolean toB = v[0].equals("0x00002002");
            assertTrue(toB || v[0].equals("0x00001001"), f);
            assertEquals(toB ? "01020304" : "0a0b0c0d", v[1].replace(":", ""), f);
            int seq = Integer.parseInt(v[2]);
            int expected = toB ? nextToB++ : nextToA++;
            assertEquals(expected, seq, "consecutive sequence numbers per direction: " + f);
            assertTrue(INNER.contains(v[4]), "inner frame decoded: " + f);
            icmp += v[4].equals("ICMP") ? 1 : 0;
        }
        assertTrue(icmp >= 8, String.join("\n", frames));
        assertEquals(0, tb.counters().getOrDefault("drop_l2tpv3_bad_cookie", 0L));
    }

    @Test
    void overIpWithEightByteCookies() throws Exception {
        pseudowire(false, new Cookie(0x1112131415161718L, 8), new Cookie(0x2122232425262728L, 8), false);
        assertEquals("1450", a.exec("cat", "/sys/class/net/pw0/mtu").stdout().trim(),
                "1500 - IPv4 20 - session 4 - cookie 8 - sublayer 4 - Ethernet 14 (no UDP)");
        List<String> frames = pingAndDecode("ip proto 115", "8 Byte Cookie", "Default L2-Specific");
        assertTrue(frames.size() >= 8, String.join("\n", frames));
        for (String f : frames) {
            String[] v = f.split("\\|", -1);
            boolean toB = v[0].equals("0x00002002");
            assertTrue(toB || v[0].equals("0x00001001"), f);
            assertEquals(toB ? "2122232425262728" : "1112131415161718", v[1].replace(":", ""), f);
            assertTrue(INNER.contains(v[4]), "inner frame decoded: " + f);
        }
    }
}
