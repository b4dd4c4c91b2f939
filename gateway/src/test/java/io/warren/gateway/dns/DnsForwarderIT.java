package io.warren.gateway.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.warren.gateway.config.DnsConfig;
import io.warren.testlab.LabProcess;
import io.warren.testlab.NetLab;
import io.warren.testlab.Netns;
import io.warren.testlab.Wait;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * Warren's DNS server in a namespace, asked by real dig, forwarding to real dnsmasq instances
 * (authoritative for example.test and corp.test, no internet) in their own namespaces:
 * <pre>
 *   cli 10.53.1.2 --- 10.53.1.1 gw (Warren :53) 10.53.2.1 --- 10.53.2.2 up1 (dnsmasq example.test)
 *                                              10.53.3.1 --- 10.53.3.2 up2 (dnsmasq corp.test)
 * </pre>
 * Needs root, dig (bind9-dnsutils), dnsmasq (dnsmasq-base), ip, ethtool; skips otherwise.
 */
class DnsForwarderIT {
    @RegisterExtension
    static final NetLab lab = NetLab.create();

    private static final String WARREN = "10.53.1.1";
    private static final String UP1 = "10.53.2.2";
    private static final String UP2 = "10.53.3.2";
    private static final String BIG_CHUNK = "warren".repeat(33);
    private static Netns cli;
    private static Netns gw;
    private static Netns up1;
    private static Netns up2;

    private DnsServer server;
    private LabProcess dnsmasq1;

    @BeforeAll
    static void topology() {
        lab.requireRoot();
        lab.requireTools("ip", "ethtool", "dig", "dnsmasq");
        cli = lab.netns("cli");
        gw = lab.netns("gw");
        up1 = lab.netns("up1");
        up2 = lab.netns("up2");
        lab.veth(cli, "c0", gw, "g1");
        lab.veth(gw, "g2", up1, "u0");
        lab.veth(gw, "g3", up2, "v0");
        link(cli, "c0", "10.53.1.2/24");
        link(gw, "g1", WARREN + "/24");
        link(gw, "g2", "10.53.2.1/24");
        link(up1, "u0", UP1 + "/24");
        link(gw, "g3", "10.53.3.1/24");
        link(up2, "v0", UP2 + "/24");
    }

    private static void link(Netns ns, String ifname, String cidr) {
        ns.addr(ifname, cidr);
        ns.up(ifname);
    }

    @BeforeEach
    void startUpstreamAndWarren() throws IOException {
        lab.requireRoot();
        lab.requireTools("dig", "dnsmasq");
        List<String> big = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            big.add(BIG_CHUNK);
        }
        dnsmasq1 = dnsmasq(up1, UP1, "u0", "example.test", "10.1.2.0/24,fd00:1::/64",
                "--host-record=www.example.test,10.1.2.3,fd00:1::3",
                "--txt-record=txt.example.test,hello warren",
                "--txt-record=big.example.test," + String.join(",", big),
                "--mx-host=example.test,mail.example.test,10");
        dnsmasq(up2, UP2, "v0", "corp.test", "10.9.9.0/24", "--host-record=db.corp.test,10.9.9.9");
        Path hosts = lab.tempDir().resolve("hosts-" + System.nanoTime());
        Files.writeString(hosts, "10.53.1.60 printer\n10.53.1.61 nas.home.example\n", StandardCharsets.US_ASCII);
        DnsConfig config = new DnsConfig(true, List.of(new InetSocketAddress(WARREN, 53)),
                List.of(new InetSocketAddress(UP1, 53)),
                Map.of("corp.test", List.of(new InetSocketAddress(UP2, 53))), Optional.of("lan"), List.of(hosts),
                1000);
        server = gw.call(() -> DnsServer.start(config));
    }

    @AfterEach
    void stopWarren() {
        if (server != null) {
            server.close();
        }
    }

    private static LabProcess dnsmasq(Netns ns, String address, String ifname, String zone, String subnets,
            String... records) {
        List<String> argv = new ArrayList<>(List.of("dnsmasq", "--no-daemon", "--no-resolv", "--no-hosts",
                "--conf-file=/dev/null", "--pid-file=", "--local-ttl=60", "--listen-address=" + address,
                "--bind-interfaces", "--log-queries", "--log-facility=-", "--auth-server=ns1." + zone + "," + ifname,
                "--auth-zone=" + zone + "," + subnets, "--auth-soa=2026,hostmaster." + zone, "--auth-ttl=300"));
        argv.addAll(Arrays.asList(records));
        LabProcess p = lab.spawn(ns, argv.toArray(String[]::new));
        Wait.until(Duration.ofSeconds(10), "dnsmasq answering on " + address, () -> ns.execAllowFail("dig",
                "+time=1", "+tries=1", "+norec", "@" + address, "ns1." + zone, "SOA").stdout().contains("status"));
        return p;
    }

    private static String dig(String... args) {
        List<String> argv = new ArrayList<>(List.of("dig", "+time=3", "+tries=1", "@" + WARREN));
        argv.addAll(Arrays.asList(args));
        return cli.exec(argv.toArray(String[]::new)).stdout();
    }

    private static String digShort(String... args) {
        List<String> argv = new ArrayList<>(List.of("+short"));
        argv.addAll(Arrays.asList(args));
        return dig(argv.toArray(String[]::new)).trim();
    }

    private long upstreamLogCount(String needle) {
        return dnsmasq1.output().lines().filter(l -> l.contains(needle)).count();
    }

    @Test
    void answersCommonTypesFromTheUpstream() {
        assertEquals("10.1.2.3", digShort("www.example.test", "A"));
        assertEquals("fd00:1::3", digShort("www.example.test", "AAAA"));
        assertEquals("www.example.test.", digShort("-x", "10.1.2.3"));
        assertEquals("10 mail.example.test.", digShort("example.test", "MX"));
        assertEquals("\"hello warren\"", digShort("txt.example.test", "TXT"));
        String full = dig("+tcp", "WWW.Example.Test", "A");
        assertTrue(full.contains("status: NOERROR") && full.contains("WWW.Example.Test.") && full.contains("(TCP)"),
                full);
        assertEquals(5, server.counters().forwarded());
        assertEquals(1, server.counters().cacheHits(), "the TCP query differs only in case: a cache hit");
        assertEquals(1, server.counters().queriesTcp());
    }

    @Test
    void bigAnswerIsTruncatedOverUdpAndFetchedOverTcp() {
        String out = dig("+bufsize=1232", "big.example.test", "TXT");
        assertTrue(out.contains("Truncated, retrying in TCP mode"), out);
        assertTrue(out.contains("status: NOERROR"), out);
        assertEquals(8, countMatches(out, BIG_CHUNK), out);
        Matcher size = Pattern.compile("MSG SIZE\\s+rcvd: (\\d+)").matcher(out);
        assertTrue(size.find() && Integer.parseInt(size.group(1)) > 1232, out);
        assertTrue(server.counters().upstreamTcpRetries() >= 1, "Warren got TC from dnsmasq and asked over TCP");
        assertTrue(server.counters().truncatedReplies() >= 1);
        String noEdns = dig("+noedns", "+ignore", "big.example.test", "TXT");
        assertTrue(noEdns.contains(" tc") && noEdns.contains("MSG SIZE"), "512-byte client gets TC: " + noEdns);
    }

    @Test
    void secondQueryIsServedFromTheCacheWithTheUpstreamStopped() {
        String first = dig("+noall", "+answer", "www.example.test", "A");
        assertTrue(first.contains("10.1.2.3"), first);
        dnsmasq1.stop();
        assertFalse(dnsmasq1.isAlive());
        String second = dig("+noall", "+answer", "www.example.test", "A");
        assertTrue(second.contains("10.1.2.3"), second);
        assertEquals(1, server.counters().cacheHits());
        assertEquals(1, server.counters().forwarded());
        assertTrue(ttl(second) <= ttl(first) && ttl(second) > 0, first + " / " + second);
        String miss = dig("+time=6", "other.example.test", "A"); // 3 attempts of 1 s, then SERVFAIL
        assertTrue(miss.contains("status: SERVFAIL"), "no upstream left: " + miss);
    }

    @Test
    void nxdomainIsCachedNegatively() {
        String first = dig("nx.example.test", "A");
        assertTrue(first.contains("status: NXDOMAIN") && first.contains("SOA"), first);
        String second = dig("nx.example.test", "A");
        assertTrue(second.contains("status: NXDOMAIN"), second);
        assertEquals(1, upstreamLogCount("auth[A] nx.example.test"), dnsmasq1.output());
        assertEquals(1, server.counters().cacheHits());
    }

    @Test
    void localLeasePeerAndStaticNamesAreAnsweredLocally() {
        NameSource leases = server.localZone().source(NameOrigin.DHCP_LEASE, Name.fromConstantString("lan."));
        NameSource peers = server.localZone().source(NameOrigin.VPN_PEER, Name.fromConstantString("vpn.lan."));
        assertTrue(leases.add("laptop", DnsFixtures.ip("10.53.1.50")));
        assertTrue(peers.add("alice", DnsFixtures.ip("fd00:66::2")));
        assertEquals("10.53.1.50", digShort("laptop.lan", "A"));
        assertEquals("laptop.lan.", digShort("-x", "10.53.1.50"));
        assertEquals("fd00:66::2", digShort("alice.vpn.lan", "AAAA"));
        assertEquals("10.53.1.60", digShort("printer.lan", "A"));
        assertEquals("10.53.1.61", digShort("nas.home.example", "A"));
        String ghost = dig("ghost.lan", "A");
        assertTrue(ghost.contains("status: NXDOMAIN") && ghost.contains(" aa"), ghost);
        leases.removeAll("laptop");
        assertTrue(dig("laptop.lan", "A").contains("status: NXDOMAIN"));
        assertEquals(0, server.counters().forwarded(), "local names never leave the gateway");
        assertEquals(0, upstreamLogCount(".lan"));
    }

    @Test
    void splitDnsSendsCorpNamesToTheSecondUpstream() {
        assertEquals("10.9.9.9", digShort("db.corp.test", "A"));
        assertEquals(0, upstreamLogCount("corp.test"), dnsmasq1.output());
        assertEquals("10.1.2.3", digShort("www.example.test", "A"));
    }

    @Test
    void malformedQueriesAreAnsweredOrDroppedAndServingGoesOn() {
        byte[] good = DnsFixtures.query(0x5151, "www.example.test", Type.A, -1, false);
        byte[] qr = good.clone();
        qr[2] |= (byte) 0x80;
        byte[] two = good.clone();
        two[5] = 2;
        byte[] status = good.clone();
        status[2] = (byte) (2 << 3);
        byte[] loop = Arrays.copyOf(good, 18);
        loop[12] = (byte) 0xC0;
        loop[13] = 12;
        loop[14] = 0;
        loop[15] = 1;
        loop[16] = 0;
        loop[17] = 1;
        List<Integer> rcodes = cli.call(() -> {
            List<Integer> out = new ArrayList<>();
            try (DatagramSocket s = new DatagramSocket()) {
                s.setSoTimeout(400);
                for (byte[] q : List.of(new byte[5], qr, two, status, loop)) {
                    s.send(new DatagramPacket(q, q.length, new InetSocketAddress(WARREN, 53)));
                    out.add(receiveRcode(s));
                }
            }
            return out;
        });
        assertEquals(Arrays.asList(-1, -1, Rcode.FORMERR, Rcode.NOTIMP, Rcode.FORMERR), rcodes);
        DnsCounters c = server.counters();
        assertEquals(1, c.drops(DnsDropReason.SHORT_HEADER));
        assertEquals(1, c.drops(DnsDropReason.QR_SET));
        assertEquals(1, c.drops(DnsDropReason.BAD_QDCOUNT));
        assertEquals(1, c.drops(DnsDropReason.NOT_IMPLEMENTED));
        assertEquals(1, c.drops(DnsDropReason.MALFORMED));
        assertEquals("10.1.2.3", digShort("www.example.test", "A"));
    }

    @Test
    void repliesTheKernelRefusesAreCountedAndServingGoesOn() {
        assertEquals("10.1.2.3", digShort("www.example.test", "A")); // cached from now on
        // Replies from Warren to the client now meet a prohibit rule: sendmsg fails with EACCES.
        gw.exec("ip", "rule", "add", "from", WARREN, "to", "10.53.1.2", "prohibit", "pref", "100");
        try {
            for (String name : List.of("www.example.test", "other.example.test")) { // cache hit, then a miss
                String out = cli.execAllowFail("dig", "+time=1", "+tries=1", "@" + WARREN, name, "A").stdout();
                assertFalse(out.contains("status:"), "no reply can reach the client: " + out);
            }
            Wait.until(Duration.ofSeconds(5), "both refused replies counted",
                    () -> server.counters().drops(DnsDropReason.REPLY_NOT_SENT) == 2);
        } finally {
            gw.exec("ip", "rule", "del", "pref", "100");
        }
        assertEquals("10.1.2.3", digShort("www.example.test", "A"));
        String after = dig("other.example.test", "A");
        assertTrue(after.contains("status: NXDOMAIN"), "the miss was answered upstream and cached: " + after);
    }

    @Test
    void twoEventLoopsShareLocalNamesAndCounters() throws IOException {
        server.close();
        DnsConfig config = new DnsConfig(true, List.of(new InetSocketAddress(WARREN, 53)),
                List.of(new InetSocketAddress(UP1, 53)), Map.of(), Optional.of("lan"), List.of(), 1000);
        server = gw.call(() -> DnsServer.start(config, DnsServerSettings.DEFAULTS.withThreads(2)));
        server.localZone().source(NameOrigin.VPN_PEER, Name.fromConstantString("lan.")).add("bob",
                DnsFixtures.ip("10.53.1.77"));
        for (int i = 0; i < 12; i++) { // each dig uses a new source port, so SO_REUSEPORT spreads them
            assertEquals("10.1.2.3", digShort("www.example.test", "A"));
            assertEquals("10.53.1.77", digShort("bob.lan", "A"));
        }
        DnsCounters c = server.counters();
        assertEquals(24, c.queriesUdp());
        assertEquals(12, c.localAnswers());
        assertEquals(12, c.cacheHits() + c.forwarded());
        assertTrue(c.forwarded() <= 2, "at most one miss per event loop: " + c.forwarded());
    }

    private static int receiveRcode(DatagramSocket s) throws IOException {
        byte[] buf = new byte[1500];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
            s.receive(p);
        } catch (SocketTimeoutException silent) {
            return -1;
        }
        return buf[3] & 0x0F;
    }

    private static long ttl(String answerLine) {
        return Long.parseLong(answerLine.trim().split("\\s+")[1]);
    }

    private static int countMatches(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }
}
