package io.warren.gateway.dhcp;

import static io.warren.gateway.dhcp.Msgs.LAN;
import static io.warren.gateway.dhcp.Msgs.SERVER;
import static io.warren.gateway.dhcp.Msgs.from;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Option 81, Client FQDN (RFC 4702): parsing, the name it gives a lease and the server's answer. */
class DhcpClientFqdnTest {

    private static final long SEC = 1_000_000_000L;
    private final List<String> events = new ArrayList<>();
    private final List<DhcpIgnoredReason> ignored = new ArrayList<>();
    private final DhcpServerCore core = Pools.recordingCore(List.of(Pools.lan(List.of(
            Pools.hostByMac("02:11:22:33:44:63", "10.9.0.105", "printer")))), DhcpSettings.defaults(), events);
    private final long now = 5_000 * SEC;

    DhcpClientFqdnTest() {
        core.onIgnored(ignored::add);
    }

    /** Flags, RCODE1/2 = 0, then {@code name} in wire format (labels; a trailing "" is the root label). */
    static byte[] wire(int flags, String... labels) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(flags);
        b.write(0);
        b.write(0);
        for (String l : labels) {
            b.write(l.length());
            b.writeBytes(l.getBytes(StandardCharsets.US_ASCII));
        }
        return b.toByteArray();
    }

    static byte[] ascii(int flags, String name) {
        byte[] n = name.getBytes(StandardCharsets.ISO_8859_1);
        byte[] v = new byte[3 + n.length];
        v[0] = (byte) flags;
        System.arraycopy(n, 0, v, 3, n.length);
        return v;
    }

    /** DORA for client {@code last} with option 81 {@code fqdn} (and option 12 {@code name} unless null); the ACK. */
    private DhcpMessage dora(int last, byte[] fqdn, String name) {
        Msgs.Builder d = from(last, DhcpMessageType.DHCPDISCOVER).option(DhcpWire.OPT_CLIENT_FQDN, fqdn);
        Msgs.Builder r = from(last, DhcpMessageType.DHCPREQUEST).serverId(SERVER).option(DhcpWire.OPT_CLIENT_FQDN, fqdn);
        if (name != null) {
            d.hostName(name);
            r.hostName(name);
        }
        DhcpMessage offer = assertInstanceOf(DhcpOutcome.Reply.class, core.handle(d.build(), LAN, now)).message();
        DhcpMessage ack = assertInstanceOf(DhcpOutcome.Reply.class,
                core.handle(r.requested(offer.yiaddr()).build(), LAN, now)).message();
        assertEquals(DhcpMessageType.DHCPACK, ack.type());
        assertEquals(offer.options().get(DhcpWire.OPT_CLIENT_FQDN).map(DhcpText::hex),
                ack.options().get(DhcpWire.OPT_CLIENT_FQDN).map(DhcpText::hex), "OFFER and ACK carry the same option 81");
        return ack;
    }

    private Optional<String> leaseName(DhcpMessage ack) {
        return core.leases().stream().filter(l -> DhcpText.ipv4(l.address()) == ack.yiaddr()).findFirst()
                .orElseThrow().hostName();
    }

    @Test
    void parsesBothEncodingsAndRefusesMalformedValues() {
        assertEquals(List.of("host", "lab", "test"), ClientFqdn.parse(wire(ClientFqdn.E, "host", "lab", "test", "")).orElseThrow().labels());
        assertEquals(List.of("host"), ClientFqdn.parse(wire(ClientFqdn.E, "host")).orElseThrow().labels(), "partial name");
        assertEquals(List.of("Host", "x"), ClientFqdn.parse(ascii(0, "Host.x.")).orElseThrow().labels());
        assertEquals(List.of("host"), ClientFqdn.parse(ascii(0, "host\0")).orElseThrow().labels());
        assertEquals(List.of(), ClientFqdn.parse(ascii(ClientFqdn.S, "")).orElseThrow().labels(), "asks for a name");
        assertTrue(ClientFqdn.parse(wire(0xf0 | ClientFqdn.E, "host")).isPresent(), "MBZ bits are ignored (§2.1)");
        byte[][] bad = {
            {}, {0}, {0, 0}, // shorter than flags + RCODE1 + RCODE2
            wire(ClientFqdn.S | ClientFqdn.N, "host"), // §2.1: N = 1 requires S = 0
            {ClientFqdn.E, 0, 0, 5, 'h', 'o'}, // label past the option
            {ClientFqdn.E, 0, 0, 4, 'h', 'o', 's', 't', (byte) 0xc0, 3}, // compression pointer
            {ClientFqdn.E, 0, 0, 0x41, 'h'}, // extended label type
            {ClientFqdn.E, 0, 0, 0}, // the root alone
            {ClientFqdn.E, 0, 0, 1, 'h', 0, 1, 'x'}, // data after the root label
            wire(ClientFqdn.E, "my_pc"), wire(ClientFqdn.E, "-x"), wire(ClientFqdn.E, "a".repeat(64)),
            wire(ClientFqdn.E, "a", "b c"),
            ascii(0, "my pc"), ascii(0, "a..b"), ascii(0, ".a"), ascii(0, "a\0b"), ascii(0, "caf\u00e9"),
            ascii(0, ("a".repeat(60) + ".").repeat(5)),
        };
        for (byte[] v : bad) {
            assertEquals(Optional.empty(), ClientFqdn.parse(v), DhcpText.hex(v));
        }
        byte[] longName = new byte[3 + 256];
        longName[0] = ClientFqdn.E;
        for (int i = 3; i + 63 < longName.length; i += 64) {
            longName[i] = 63;
            java.util.Arrays.fill(longName, i + 1, i + 64, (byte) 'a');
        }
        assertEquals(Optional.empty(), ClientFqdn.parse(longName), "over 255 bytes (RFC 1035 §3.1)");
    }

    @Test
    void theFirstLabelNamesTheLeaseAndTheAnswerEchoesTheEncoding() {
        DhcpMessage ack = dora(1, wire(ClientFqdn.E, "Laptop", "elsewhere", "org", ""), null);
        assertEquals(Optional.of("laptop"), leaseName(ack));
        // S = 1 (we publish the A record), O = 1 (the client had S = 0), E echoed, N = 0, RCODEs 255
        assertArrayEquals(rcodes255(wire(ClientFqdn.S | ClientFqdn.O | ClientFqdn.E, "laptop", "lab", "test", "")),
                ack.options().get(DhcpWire.OPT_CLIENT_FQDN).orElseThrow());
        DhcpMessage ack2 = dora(2, ascii(ClientFqdn.S, "desk"), null);
        assertEquals(Optional.of("desk"), leaseName(ack2));
        byte[] expected = ascii(ClientFqdn.S, "desk.lab.test");
        assertArrayEquals(rcodes255(expected), ack2.options().get(DhcpWire.OPT_CLIENT_FQDN).orElseThrow(),
                "ASCII answered in ASCII; the client's S = 1 is no override");
        DhcpMessage ack3 = dora(3, wire(ClientFqdn.N | ClientFqdn.E, "quiet"), null);
        assertEquals(ClientFqdn.S | ClientFqdn.O | ClientFqdn.E, ack3.options().get(DhcpWire.OPT_CLIENT_FQDN).orElseThrow()[0],
                "N = 1 overridden: the server publishes lease names in its own DNS");
        assertEquals(List.of(), ignored);
    }

    private static byte[] rcodes255(byte[] v) {
        byte[] c = v.clone();
        c[1] = (byte) 255;
        c[2] = (byte) 255;
        return c;
    }

    @Test
    void option81WinsOverOption12AndFallsBackWhenMalformedOrEmpty() {
        assertEquals(Optional.of("fqdn"), leaseName(dora(1, wire(ClientFqdn.E, "fqdn"), "twelve")), "RFC 4702 §3.1");
        DhcpMessage bad = dora(2, wire(ClientFqdn.E, "bad_name"), "twelve");
        assertEquals(Optional.of("twelve"), leaseName(bad));
        assertFalse(bad.options().has(DhcpWire.OPT_CLIENT_FQDN), "a malformed option 81 is not answered");
        assertEquals(List.of(DhcpIgnoredReason.MALFORMED_FQDN, DhcpIgnoredReason.MALFORMED_FQDN), ignored,
                "counted once per DISCOVER and REQUEST");
        DhcpMessage empty = dora(3, ascii(0, ""), "given");
        assertEquals(Optional.of("given"), leaseName(empty));
        assertEquals(3, empty.options().get(DhcpWire.OPT_CLIENT_FQDN).orElseThrow()[0]);
    }

    @Test
    void option81NamesFollowTheSameRulesAsOption12() {
        assertEquals(Optional.of("laptop"), leaseName(dora(1, wire(ClientFqdn.E, "laptop"), null)));
        DhcpMessage twin = dora(2, wire(ClientFqdn.E, "LAPTOP", "lab", "test", ""), null);
        assertEquals(Optional.empty(), leaseName(twin), "another lease's name");
        assertFalse(twin.options().has(DhcpWire.OPT_CLIENT_FQDN), "no name granted, no option 81 (as dnsmasq)");
        assertEquals(Optional.empty(), leaseName(dora(3, ascii(0, "printer.lab.test"), null)), "a static host's name");
        assertEquals(Optional.empty(), leaseName(dora(4, wire(ClientFqdn.E, "localhost"), null)), "RFC 6761 §6.3");
        DhcpMessage printer = dora(0x63, wire(ClientFqdn.E, "evil"), null);
        assertEquals(Optional.of("printer"), leaseName(printer));
        assertArrayEquals(rcodes255(wire(ClientFqdn.S | ClientFqdn.O | ClientFqdn.E, "printer", "lab", "test", "")),
                printer.options().get(DhcpWire.OPT_CLIENT_FQDN).orElseThrow(), "the static host's name is answered");
    }

    @Test
    void aMalformedOption81NeverCostsTheMessage() {
        byte[][] values = {{}, {ClientFqdn.E}, {ClientFqdn.E, 0, 0, (byte) 0xc0, 0}, {ClientFqdn.E, 0, 0, 63, 'a'}};
        for (byte[] v : values) {
            DhcpMessage m = from(9, DhcpMessageType.DHCPDISCOVER).option(DhcpWire.OPT_CLIENT_FQDN, v).build();
            ByteBuf b = Msgs.encode(m);
            DhcpDecodeResult r = DhcpCodec.decode(b);
            b.release();
            DhcpMessage decoded = assertInstanceOf(DhcpDecodeResult.Decoded.class, r, DhcpText.hex(v)).message();
            assertInstanceOf(DhcpOutcome.Reply.class, core.handle(decoded, LAN, now));
        }
        assertEquals(values.length, ignored.size());
    }
}
