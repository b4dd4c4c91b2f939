package io.warren.crypto.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.warren.crypto.primitives.Aead;
import io.warren.crypto.primitives.NoisePrivateKey;
import io.warren.crypto.primitives.NoisePublicKey;
import io.warren.crypto.primitives.PresharedKey;
import java.io.File;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Interoperability with a stock peer: wireguard-go (Debian package {@code wireguard-go}) runs as a
 * child process with its own TUN interface (no addresses, IPv6 off) and is configured through its
 * UAPI socket; all UDP goes over 127.0.0.1. Our handshake runs against it as initiator, as responder,
 * and as a responder under load (cookie reply, then mac2 on wireguard-go's retry after REKEY_TIMEOUT).
 * The transport keys are proven by a keepalive in each direction.
 *
 * <p>Needs root, {@code /dev/net/tun}, {@code ip} (iproute2) and {@code wireguard-go}; otherwise skipped.
 * wireguard-go is stopped by PID (SIGTERM removes its interface and socket) even when a test fails.
 */
@Timeout(value = 40, unit = TimeUnit.SECONDS)
class WireGuardGoInteropIT {
    private static final HexFormat HEX = HexFormat.of();
    private static final Path UAPI_DIR = Path.of("/var/run/wireguard");

    private final SecureRandom rnd = new SecureRandom();
    private final String iface = "wgn" + (ProcessHandle.current().pid() % 100000) + "x" + (System.nanoTime() % 100);
    private Process wireguardGo;
    private Path socket;
    private Path log;
    private DatagramSocket udp;

    private final NoisePrivateKey goKey = NoisePrivateKey.generate(rnd);
    private final NoisePublicKey goPub = goKey.publicKey();
    private final StaticIdentity local = new StaticIdentity(NoisePrivateKey.generate(rnd));
    private final PresharedKey psk = PresharedKey.generate(rnd);

    @BeforeEach
    void startWireGuardGo() throws Exception {
        assumeTrue(isRoot(), "SKIPPED: wireguard-go interop needs root (TUN device, interface up)");
        assumeTrue(Files.exists(Path.of("/dev/net/tun")), "SKIPPED: /dev/net/tun is missing");
        assumeTrue(onPath("ip"), "SKIPPED: 'ip' not found (Debian package iproute2)");
        assumeTrue(onPath("wireguard-go"), "SKIPPED: 'wireguard-go' not found (Debian package wireguard-go)");

        log = Files.createTempFile("wireguard-go-", ".log");
        socket = UAPI_DIR.resolve(iface + ".sock");
        wireguardGo = new ProcessBuilder("wireguard-go", "-f", iface)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(socket)) {
            assertTrue(wireguardGo.isAlive(), "wireguard-go exited: " + Files.readString(log));
            assertTrue(System.nanoTime() < deadline, "no UAPI socket " + socket);
            Thread.sleep(20);
        }
        Files.writeString(Path.of("/proc/sys/net/ipv6/conf/" + iface + "/disable_ipv6"), "1");
        run("ip", "link", "set", iface, "up");
        udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        udp.setSoTimeout(8000);
    }

    @AfterEach
    void stopWireGuardGo() throws Exception {
        if (udp != null) {
            udp.close();
        }
        if (wireguardGo != null) {
            wireguardGo.destroy();
            if (!wireguardGo.waitFor(5, TimeUnit.SECONDS)) {
                wireguardGo.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        if (socket != null) {
            Files.deleteIfExists(socket);
        }
        if (log != null) {
            Files.deleteIfExists(log);
        }
    }

    @Test
    void weInitiateAndWireGuardGoResponds() throws Exception {
        uapi("set=1\nprivate_key=" + hex(goKey) + "\nlisten_port=0\nreplace_peers=true\npublic_key=" + hex(local.publicKey())
                + "\npreshared_key=" + HEX.formatHex(psk.bytes()) + "\nallowed_ip=10.99.0.2/32\n\n");
        InetSocketAddress go = new InetSocketAddress(InetAddress.getLoopbackAddress(), listenPort());

        Handshake hs = new Handshake(local, goPub, psk);
        CookieGenerator macs = new CookieGenerator(goPub);
        int localIndex = rnd.nextInt();
        MessageInitiation init = macs.addMacs(hs.createInitiation(wallNanos(), localIndex, rnd), System.nanoTime());
        send(init.encode(), go);

        byte[] reply = receive(MessageType.RESPONSE);
        MessageResponse resp = MessageCodecTest.ok(MessageResponse.parse(ByteBuffer.wrap(reply)));
        assertInstanceOf(CookieChecker.Pass.class,
                new CookieChecker(local).check(resp, new byte[6], false, System.nanoTime(), rnd), "mac1 from wireguard-go");
        assertInstanceOf(ConsumedResponse.Ok.class, hs.consumeResponse(resp));
        SessionKeys keys = hs.beginSymmetricSession();
        assertEquals(0, lastHandshakeSeconds(), "wireguard-go confirms the session only on our first data");

        send(transport(keys.remoteIndex(), 0, keys.sendKey(), new byte[0]), go);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (lastHandshakeSeconds() == 0) {
            assertTrue(System.nanoTime() < deadline, "wireguard-go did not accept our keepalive");
            Thread.sleep(20);
        }
    }

    @Test
    void wireGuardGoInitiatesAndWeRespond() throws Exception {
        configurePeerThatInitiates();
        byte[] first = receive(MessageType.INITIATION);
        SessionKeys keys = respond(first, new CookieGenerator(goPub));
        byte[] data = receive(MessageType.TRANSPORT);
        assertKeepalive(data, keys);
    }

    @Test
    void underLoadWeSendCookieAndWireGuardGoRetriesWithMac2() throws Exception {
        configurePeerThatInitiates();
        CookieChecker checker = new CookieChecker(local);
        byte[] source = CookieChecker.sourceBytes(new InetSocketAddress(InetAddress.getLoopbackAddress(), peerPort));
        MessageInitiation first = MessageCodecTest.ok(MessageInitiation.parse(ByteBuffer.wrap(receive(MessageType.INITIATION))));
        CookieChecker.SendCookieReply cookie = assertInstanceOf(CookieChecker.SendCookieReply.class,
                checker.check(first, source, true, System.nanoTime(), rnd));
        send(cookie.reply().encode(), peer);

        // wireguard-go retries after REKEY_TIMEOUT (5 s plus jitter) with mac2 set from our cookie.
        byte[] retryWire = receive(MessageType.INITIATION);
        MessageInitiation retry = MessageCodecTest.ok(MessageInitiation.parse(ByteBuffer.wrap(retryWire)));
        assertNotEquals(HEX.formatHex(new byte[16]), HEX.formatHex(retry.mac2()));
        assertInstanceOf(CookieChecker.Pass.class, checker.check(retry, source, true, System.nanoTime(), rnd),
                "mac2 computed by wireguard-go from our XChaCha20-Poly1305 cookie reply");
        SessionKeys keys = respond(retryWire, new CookieGenerator(goPub));
        assertKeepalive(receive(MessageType.TRANSPORT), keys);
    }

    private InetSocketAddress peer;
    private int peerPort;

    private void configurePeerThatInitiates() throws IOException {
        uapi("set=1\nprivate_key=" + hex(goKey) + "\nlisten_port=0\nreplace_peers=true\npublic_key=" + hex(local.publicKey())
                + "\npreshared_key=" + HEX.formatHex(psk.bytes()) + "\nendpoint=127.0.0.1:" + udp.getLocalPort()
                + "\nallowed_ip=10.99.0.2/32\npersistent_keepalive_interval=1\n\n");
        peerPort = listenPort();
        peer = new InetSocketAddress(InetAddress.getLoopbackAddress(), peerPort);
    }

    private SessionKeys respond(byte[] initWire, CookieGenerator macs) throws IOException {
        MessageInitiation init = MessageCodecTest.ok(MessageInitiation.parse(ByteBuffer.wrap(initWire)));
        assertInstanceOf(CookieChecker.Pass.class,
                new CookieChecker(local).check(init, new byte[6], false, System.nanoTime(), rnd), "mac1 from wireguard-go");
        Handshake forGo = new Handshake(local, goPub, psk);
        ConsumedInitiation.Ok ok = assertInstanceOf(ConsumedInitiation.Ok.class,
                Handshake.consumeInitiation(local, init, k -> k.equals(goPub) ? forGo : null, System.nanoTime()));
        int localIndex = rnd.nextInt();
        MessageResponse resp = macs.addMacs(ok.peerHandshake().createResponse(localIndex, rnd), System.nanoTime());
        send(resp.encode(), peer);
        SessionKeys keys = forGo.beginSymmetricSession();
        assertEquals(localIndex, keys.localIndex());
        assertEquals(init.sender(), keys.remoteIndex());
        return keys;
    }

    private static void assertKeepalive(byte[] data, SessionKeys keys) {
        MessageTransport t = MessageCodecTest.ok(MessageTransport.parse(ByteBuffer.wrap(data)));
        assertEquals(keys.localIndex(), t.receiver());
        assertEquals(0, t.counter());
        byte[] sealed = new byte[t.encrypted().remaining()];
        t.encrypted().get(sealed);
        assertArrayEquals(new byte[0], Aead.open(keys.receiveKey(), t.counter(), sealed, new byte[0]),
                "wireguard-go's first data message (a keepalive) opens with our receive key");
    }

    private static byte[] transport(int receiver, long counter, byte[] key, byte[] plain) {
        byte[] sealed = Aead.seal(key, counter, plain, new byte[0]);
        byte[] out = new byte[16 + sealed.length];
        MessageTransport.encodeHeader(receiver, counter, out, 0);
        System.arraycopy(sealed, 0, out, 16, sealed.length);
        return out;
    }

    private void send(byte[] b, InetSocketAddress to) throws IOException {
        udp.send(new DatagramPacket(b, b.length, to));
    }

    private byte[] receive(MessageType wanted) throws IOException {
        byte[] buf = new byte[2048];
        while (true) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                udp.receive(p);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no " + wanted + " from wireguard-go; its log: " + Files.readString(log), e);
            }
            byte[] got = Arrays.copyOf(p.getData(), p.getLength());
            if (MessageType.of(ByteBuffer.wrap(got)).messageOrNull() == wanted) {
                return got;
            }
        }
    }

    private int listenPort() throws IOException {
        return Integer.parseInt(field(uapi("get=1\n\n"), "listen_port"));
    }

    private long lastHandshakeSeconds() throws IOException {
        return Long.parseLong(field(uapi("get=1\n\n"), "last_handshake_time_sec"));
    }

    private static String field(String reply, String key) {
        return reply.lines().filter(l -> l.startsWith(key + "=")).findFirst()
                .map(l -> l.substring(key.length() + 1))
                .orElseThrow(() -> new AssertionError("no " + key + " in UAPI reply"));
    }

    /** One UAPI exchange (request ends with a blank line; so does the reply, after {@code errno=N}). */
    private String uapi(String request) throws IOException {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            ch.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
            StringBuilder sb = new StringBuilder();
            ByteBuffer in = ByteBuffer.allocate(4096);
            while (!(sb.length() >= 2 && sb.charAt(sb.length() - 1) == '\n' && sb.charAt(sb.length() - 2) == '\n')) {
                in.clear();
                if (ch.read(in) < 0) {
                    break;
                }
                sb.append(new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII));
            }
            String reply = sb.toString();
            assertTrue(reply.contains("errno=0"), "UAPI request failed (" + field(reply, "errno") + ")");
            return reply;
        }
    }

    private static String hex(NoisePrivateKey k) {
        return HEX.formatHex(k.bytes());
    }

    private static String hex(NoisePublicKey k) {
        return HEX.formatHex(k.bytes());
    }

    private static long wallNanos() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + out);
    }

    private static boolean isRoot() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("Uid:")).anyMatch(l -> l.split("\\s+")[1].equals("0"));
    }

    private static boolean onPath(String exe) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin:/usr/sbin:/sbin").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, exe))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", exe)) || Files.isExecutable(Path.of("/sbin", exe));
    }
}
