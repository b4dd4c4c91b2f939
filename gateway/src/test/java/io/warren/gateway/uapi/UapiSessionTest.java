package io.warren.gateway.uapi;

import static io.warren.gateway.uapi.UapiFixtures.endpoint;
import static io.warren.gateway.uapi.UapiFixtures.hex;
import static io.warren.gateway.uapi.UapiFixtures.ip;
import static io.warren.gateway.uapi.UapiFixtures.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Hand-written UAPI transcripts against the sans-I/O session and the fake device. */
class UapiSessionTest {
    private static final String OK = "errno=0\n\n";
    private static final String EINVAL = "errno=-22\n\n";

    private final FakeUapiDevice device = new FakeUapiDevice(UapiFixtures.populated());
    private final UapiSession session = new UapiSession(device, new UapiLimits(1024, 4096));

    private String send(String request) {
        UapiSession.Output out = session.receive(ByteBuffer.wrap(request.getBytes(StandardCharsets.ISO_8859_1)));
        return new String(out.reply(), StandardCharsets.ISO_8859_1);
    }

    private String sendByteByByte(String request) {
        StringBuilder reply = new StringBuilder();
        for (byte b : request.getBytes(StandardCharsets.ISO_8859_1)) {
            reply.append(new String(session.receive(ByteBuffer.wrap(new byte[] {b})).reply(),
                    StandardCharsets.ISO_8859_1));
        }
        return reply.toString();
    }

    private static final String POPULATED_GET = ""
            + "private_key=" + UapiFixtures.privateKey().toHex() + "\n"
            + "listen_port=51820\n"
            + "fwmark=4660\n"
            + "public_key=" + hex(0x10) + "\n"
            + "preshared_key=" + hex(0x20) + "\n"
            + "protocol_version=1\n"
            + "endpoint=[fd00::1]:51820\n"
            + "last_handshake_time_sec=1700000123\n"
            + "last_handshake_time_nsec=456789\n"
            + "tx_bytes=1111\n"
            + "rx_bytes=2222\n"
            + "persistent_keepalive_interval=25\n"
            + "allowed_ip=10.1.2.0/24\n"
            + "allowed_ip=fd00:1::/64\n"
            + "public_key=" + hex(0x30) + "\n"
            + "preshared_key=" + hex(0x50) + "\n"
            + "protocol_version=1\n"
            + "endpoint=192.0.2.7:4500\n"
            + "last_handshake_time_sec=1700000999\n"
            + "last_handshake_time_nsec=1\n"
            + "tx_bytes=3333\n"
            + "rx_bytes=4444\n"
            + "persistent_keepalive_interval=65535\n"
            + "allowed_ip=10.9.0.1/32\n"
            + OK;

    @Test
    void getListsEveryFieldInWireguardGoOrder() {
        assertEquals(POPULATED_GET, send("get=1\n\n"));
    }

    @Test
    void getFedOneByteAtATimeGivesTheSameReply() {
        assertEquals(POPULATED_GET, sendByteByByte("get=1\n\n"));
    }

    @Test
    void getOfAnEmptyDeviceOmitsKeyPortAndMark() {
        device.setState(DeviceState.EMPTY);
        assertEquals(OK, send("get=1\n\n"));
    }

    @Test
    void getWithATrailingCharacterIsEinvalAndTheConnectionGoesOn() {
        assertEquals(EINVAL, send("get=1\nx"));
        assertFalse(session.isClosed());
        assertEquals(POPULATED_GET, send("get=1\n\n"));
    }

    @Test
    void severalRequestsOnOneConnection() {
        String reply = send("set=1\nlisten_port=4242\n\nget=1\n\n");
        assertTrue(reply.startsWith(OK + "private_key="), reply);
        assertTrue(reply.contains("\nlisten_port=4242\n"), reply);
    }

    @Test
    void setOfAWholeConfigurationApplies() {
        String request = "set=1\n"
                + "private_key=" + hex(0x60) + "\n"
                + "listen_port=12912\n"
                + "fwmark=4294967295\n"
                + "replace_peers=true\n"
                + "public_key=" + hex(0x70) + "\n"
                + "preshared_key=" + hex(0x71) + "\n"
                + "endpoint=[fd00::1]:51820\n"
                + "persistent_keepalive_interval=17\n"
                + "replace_allowed_ips=true\n"
                + "allowed_ip=10.7.0.9/16\n"
                + "allowed_ip=fd00:7::1/128\n"
                + "protocol_version=1\n"
                + "\n";
        assertEquals(OK, sendByteByByte(request));
        DeviceState s = device.state();
        assertEquals(Optional.of(DeviceChangeApplier.clamp(key(0x60))), s.privateKey());
        assertEquals(12912, s.listenPort());
        assertEquals(0xffff_ffffL, s.fwmark());
        assertEquals(1, s.peers().size());
        PeerState p = s.peers().get(0);
        assertEquals(key(0x70), p.publicKey());
        assertEquals(key(0x71), p.presharedKey());
        assertEquals(Optional.of(endpoint("[fd00::1]:51820")), p.endpoint());
        assertEquals(17, p.persistentKeepaliveInterval());
        assertEquals(List.of(ip("10.7.0.0/16"), ip("fd00:7::1/128")), p.allowedIps());
        assertTrue(send("get=1\n\n").contains("\nendpoint=[fd00::1]:51820\n"));
    }

    @Test
    void allowedIpBeforePublicKeyIsEinvalAndChangesNothing() {
        DeviceState before = device.state();
        assertEquals(EINVAL, send("set=1\nlisten_port=1\nallowed_ip=10.0.0.0/8\npublic_key=" + hex(0x70) + "\n\n"));
        assertSame(before, device.state());
    }

    @Test
    void aBadLineLateInTheRequestRollsBackTheWholeSet() {
        DeviceState before = device.state();
        String reply = send("set=1\nlisten_port=7\npublic_key=" + hex(0x70) + "\nallowed_ip=10.0.0.0/8\n"
                + "public_key=" + hex(0x10) + "\nremove=true\n"
                + "public_key=" + hex(0x71) + "\nendpoint=not-an-endpoint\n"
                + "allowed_ip=10.0.0.0/8\n\n");
        assertEquals(EINVAL, reply);
        assertSame(before, device.state());
        assertFalse(session.isClosed(), "the rest of the request was skipped, the stream stays in sync");
        assertEquals(POPULATED_GET, send("get=1\n\n"));
    }

    @Test
    void aLineWithoutEqualsIsEproto() {
        assertEquals("errno=-71\n\n", send("set=1\nnoequals\n\n"));
    }

    @Test
    void removeOfAnUnknownPeerChangesNothing() {
        DeviceState before = device.state();
        assertEquals(OK, send("set=1\npublic_key=" + hex(0x77) + "\nremove=true\n\n"));
        assertEquals(before, device.state());
    }

    @Test
    void removeOfAKnownPeerRemovesIt() {
        assertEquals(OK, send("set=1\npublic_key=" + hex(0x10) + "\nremove=true\n\n"));
        assertEquals(List.of(key(0x30)), device.state().peers().stream().map(PeerState::publicKey).toList());
    }

    @Test
    void replaceAllowedIpsReplacesAndDropsLinesBeforeIt() {
        assertEquals(OK, send("set=1\npublic_key=" + hex(0x10) + "\nallowed_ip=172.16.0.0/12\n"
                + "replace_allowed_ips=true\nallowed_ip=192.168.5.0/24\nallowed_ip=fd00:5::/48\n\n"));
        assertEquals(List.of(ip("192.168.5.0/24"), ip("fd00:5::/48")),
                device.state().peer(key(0x10)).orElseThrow().allowedIps());
    }

    @Test
    void updateOnlyDoesNotCreateButDoesUpdate() {
        assertEquals(OK, send("set=1\npublic_key=" + hex(0x77) + "\nupdate_only=true\nallowed_ip=10.77.0.0/16\n"
                + "public_key=" + hex(0x30) + "\nupdate_only=true\npersistent_keepalive_interval=9\n\n"));
        assertTrue(device.state().peer(key(0x77)).isEmpty());
        assertEquals(9, device.state().peer(key(0x30)).orElseThrow().persistentKeepaliveInterval());
    }

    @Test
    void anAllZeroPrivateKeyRemovesTheKey() {
        assertEquals(OK, send("set=1\nprivate_key=" + "0".repeat(64) + "\n\n"));
        assertEquals(Optional.empty(), device.state().privateKey());
        assertFalse(send("get=1\n\n").contains("private_key="));
    }

    @Test
    void upperCaseHexIsAccepted() {
        assertEquals(OK, send("set=1\npublic_key=" + hex(0x7a).toUpperCase() + "\n\n"));
        assertTrue(device.state().peer(key(0x7a)).isPresent());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "public_key=0123",
        "public_key=zz23456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "public_key=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde",
        "public_key=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0",
        "public_key=",
        "private_key=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg",
        "listen_port=65536",
        "listen_port=-1",
        "listen_port=+5",
        "listen_port=",
        "fwmark=4294967296",
        "fwmark=0x10",
        "replace_peers=false",
        "protocol_version=1",
        "endpoint=1.2.3.4:5",
        "no_such_key=1",
        "=1",
    })
    void badDeviceLinesAreEinval(String line) {
        DeviceState before = device.state();
        assertEquals(EINVAL, send("set=1\n" + line + "\n\n"));
        assertSame(before, device.state());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "preshared_key=123",
        "endpoint=[fd00::1]",
        "endpoint=fd00::1:51820",
        "endpoint=[1.2.3.4]:5",
        "endpoint=1.2.3.4:65536",
        "endpoint=01.2.3.4:5",
        "endpoint=[fe80::1%eth0]:5",
        "endpoint=host.example:51820",
        "allowed_ip=10.0.0.0/33",
        "allowed_ip=fd00::/129",
        "allowed_ip=10.0.0.0",
        "allowed_ip=10.0.0.0/08",
        "allowed_ip=10.0.0.0/-1",
        "allowed_ip=10.0.0.0/8/8",
        "allowed_ip=[fd00::]/64",
        "allowed_ip=-10.0.0.0/8",
        "persistent_keepalive_interval=65536",
        "remove=yes",
        "update_only=1",
        "replace_allowed_ips=false",
        "protocol_version=2",
        "listen_port=5",
    })
    void badPeerLinesAreEinval(String line) {
        DeviceState before = device.state();
        assertEquals(EINVAL, send("set=1\npublic_key=" + hex(0x10) + "\n" + line + "\n\n"));
        assertSame(before, device.state());
    }

    @Test
    void aDeviceRefusalChangesNothing() {
        device.markPortBusy(4444);
        DeviceState before = device.state();
        assertEquals("errno=-98\n\n", send("set=1\nlisten_port=4444\npublic_key=" + hex(0x70) + "\n\n"));
        assertSame(before, device.state());
    }

    @Test
    void aThrowingDeviceAnswersUnknownError() {
        device.failWith(new IllegalStateException("device bug"));
        assertEquals("errno=-55\n\n", send("get=1\n\n"));
        assertEquals("errno=-55\n\n", send("set=1\nlisten_port=3\n\n"));
        assertFalse(session.isClosed());
    }

    @Test
    void anEmptySetIsFine() {
        assertEquals(OK, send("set=1\n\n"));
        assertTrue(device.appliedChanges().isEmpty());
    }

    @Test
    void anUnknownOperationClosesWithoutAnswer() {
        UapiSession.Output out = session.receive(ByteBuffer.wrap("foo=1\n\nget=1\n\n".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(0, out.reply().length);
        assertTrue(out.close());
        assertEquals("", send("get=1\n\n"), "nothing is read after close");
    }

    @Test
    void aSetCutOffByEndOfInputAppliesNothing() {
        DeviceState before = device.state();
        assertEquals("", send("set=1\nlisten_port=12\n"));
        UapiSession.Output out = session.endOfInput();
        assertEquals("errno=-71\n\n", new String(out.reply(), StandardCharsets.US_ASCII));
        assertTrue(out.close());
        assertSame(before, device.state());
    }

    @Test
    void endOfInputBetweenRequestsClosesQuietly() {
        assertEquals(OK, send("set=1\n\n"));
        UapiSession.Output out = session.endOfInput();
        assertEquals(0, out.reply().length);
        assertTrue(out.close());
    }

    @Test
    void anOverlongLineInASetIsEmsgsizeAndCloses() {
        UapiSession.Output out = session.receive(ByteBuffer.wrap(
                ("set=1\nallowed_ip=" + "1".repeat(2000)).getBytes(StandardCharsets.US_ASCII)));
        assertEquals("errno=-90\n\n", new String(out.reply(), StandardCharsets.US_ASCII));
        assertTrue(out.close());
    }

    @Test
    void anOverlongOperationLineClosesWithoutAnswer() {
        UapiSession.Output out = session.receive(ByteBuffer.wrap("g".repeat(5000).getBytes(StandardCharsets.US_ASCII)));
        assertEquals(0, out.reply().length);
        assertTrue(out.close());
    }

    @Test
    void aHugeRequestOfShortLinesIsEmsgsizeAndAppliesNothing() {
        DeviceState before = device.state();
        StringBuilder request = new StringBuilder("set=1\npublic_key=" + hex(0x70) + "\n");
        for (int i = 0; i < 400; i++) {
            request.append("allowed_ip=10.0.").append(i % 250).append(".0/24\n");
        }
        request.append('\n');
        assertEquals("errno=-90\n\n", send(request.toString()));
        assertTrue(session.isClosed());
        assertSame(before, device.state());
    }

    @Test
    void aHugeRequestAfterAnErrorIsStillBounded() {
        StringBuilder request = new StringBuilder("set=1\nbogus\n");
        for (int i = 0; i < 400; i++) {
            request.append("allowed_ip=10.0.0.0/24\n");
        }
        assertEquals("errno=-90\n\n", send(request.toString()));
        assertTrue(session.isClosed());
    }

    @Test
    void bytesThatAreNotAsciiAreEinval() {
        assertEquals(EINVAL, send("set=1\nlisten_port=\u00e9\u00ff\n\n"));
        assertEquals(EINVAL, send("set=1\npublic_key=" + hex(0x10) + "\nallowed_ip=10.0.0.0/8\r\n\n"));
    }
}
