package io.warren.crypto.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.crypto.primitives.LowOrderPoints;
import io.warren.crypto.primitives.NoisePublicKey;
import io.warren.crypto.primitives.PresharedKey;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Hostile datagrams at the Internet-facing {@link Device} (WireGuard whitepaper §5.4, §5.4.7,
 * §6): every one is a counted drop (or a cookie reply), never an exception, and a failed consume
 * changes no handshake state, keypair or index.
 */
class DeviceHostileInputTest extends HostileDevices {

    // ---- sizes, types, reserved bytes --------------------------------------------------------

    /** The kernel and wireguard-go drop handshake messages of any other than their exact size. */
    @Test
    void handshakeMessagesOfWrongSizeTypeOrReservedBytesAreDroppedWithoutStateChange() {
        ByteBuffer[] ir = initiationAndResponse(T0);
        byte[] initiation = bytes(ir[0]);
        byte[] response = bytes(ir[1]);
        byte[] cookie = new byte[64];
        cookie[0] = 3;
        Snapshot a = atA();
        Snapshot b = atB();
        for (byte[] good : List.of(initiation, response, cookie)) {
            Device target = good == response || good == cookie ? deviceA : deviceB;
            for (int len = 0; len < good.length; len++) {
                byte[] cut = java.util.Arrays.copyOf(good, len);
                assertEquals(drop(DropReason.MESSAGE_TRUNCATED), target.receive(ByteBuffer.wrap(cut), FROM_A, T0, false),
                        "type " + good[0] + " cut to " + len);
            }
            for (int extra = 1; extra <= 64; extra++) {
                byte[] padded = java.util.Arrays.copyOf(good, good.length + extra);
                assertEquals(drop(DropReason.MESSAGE_TRUNCATED), target.receive(ByteBuffer.wrap(padded), FROM_A, T0, false),
                        "type " + good[0] + " padded by " + extra);
            }
            for (int r = 1; r <= 3; r++) {
                for (int bit = 0; bit < 8; bit++) {
                    byte[] reserved = good.clone();
                    reserved[r] = (byte) (1 << bit);
                    assertEquals(drop(DropReason.UNKNOWN_MESSAGE_TYPE),
                            target.receive(ByteBuffer.wrap(reserved), FROM_A, T0, false));
                }
            }
            for (int t = 0; t < 256; t++) {
                if (t >= 1 && t <= 4) {
                    continue;
                }
                byte[] typed = good.clone();
                typed[0] = (byte) t; // includes upper bits set over a valid type: 0x81, 0x82, ...
                assertEquals(drop(DropReason.UNKNOWN_MESSAGE_TYPE), target.receive(ByteBuffer.wrap(typed), FROM_A, T0, false));
            }
        }
        assertEquals(a, atA());
        assertEquals(b, atB());
        // the genuine messages still work afterwards
        assertInstanceOf(Outcome.WriteToNetwork.class, DeviceTest.routedTo(bAtA, deviceA.receive(ir[1], FROM_B, T0, false)));
    }

    /** Transport data: at least 32 bytes (a keepalive is exactly 32); anything shorter is counted. */
    @Test
    void transportMessagesShorterThanAKeepaliveAreTruncated() {
        establish(T0);
        ByteBuffer keepalive = null;
        for (Outcome.TimerAction act : aAtB.updateTimers(T0 + ProtocolTimers.KEEPALIVE_TIMEOUT)) {
            if (act instanceof Outcome.Send s && s.kind() == Outcome.SendKind.KEEPALIVE) {
                keepalive = copy(s.datagram());
            }
        }
        assertNotNull(keepalive, "B owes A a keepalive");
        assertEquals(Constants.MESSAGE_DATA_MIN_LENGTH, keepalive.remaining());
        Snapshot a = atA();
        for (int len = 4; len < 32; len++) {
            assertEquals(drop(DropReason.MESSAGE_TRUNCATED),
                    deviceA.receive(copy(keepalive).limit(len), FROM_B, T0, false), "cut to " + len);
        }
        byte[] padded = java.util.Arrays.copyOf(bytes(keepalive), 48);
        assertEquals(new Outcome.Drop(DropReason.AUTHENTICATION_FAILED),
                DeviceTest.routedTo(bAtA, deviceA.receive(ByteBuffer.wrap(padded), FROM_B, T0, false)));
        assertEquals(a, atA());
        assertSame(Outcome.DONE, DeviceTest.routedTo(bAtA, deviceA.receive(keepalive, FROM_B, T0 + S, false)));
    }

    // ---- initiations: replay and flood (§5.4.2) -----------------------------------

    @Test
    void replayedAndOlderInitiationsAreDroppedWithoutStateChange() {
        ByteBuffer older = freshInitiation(T0);
        ByteBuffer newer = freshInitiation(T0);
        DeviceTest.routedTo(aAtB, deviceB.receive(copy(newer), FROM_A, T0, false));
        Snapshot b = atB();
        long t = T0 + S; // long past the 20 ms flood window
        assertEquals(drop(DropReason.HANDSHAKE_REJECTED), deviceB.receive(copy(newer), FROM_A, t, false), "equal timestamp");
        assertEquals(drop(DropReason.HANDSHAKE_REJECTED), deviceB.receive(copy(older), FROM_A, t, false), "older timestamp");
        assertEquals(b, atB());
    }

    @Test
    void initiationsOfOnePeerWithin20MsAreAFlood() {
        ByteBuffer first = freshInitiation(T0);
        ByteBuffer second = freshInitiation(T0);
        ByteBuffer third = freshInitiation(T0);
        DeviceTest.routedTo(aAtB, deviceB.receive(first, FROM_A, T0, false));
        Snapshot b = atB();
        assertEquals(drop(DropReason.HANDSHAKE_REJECTED), deviceB.receive(copy(second), FROM_A, T0 + 10 * MS, false));
        assertEquals(drop(DropReason.HANDSHAKE_REJECTED), deviceB.receive(copy(second), FROM_A, T0 + 20 * MS, false));
        assertEquals(b, atB());
        // a flood drop does not consume the timestamp: the same message is good after 20 ms
        DeviceTest.routedTo(aAtB, deviceB.receive(second, FROM_A, T0 + 21 * MS, false));
        DeviceTest.routedTo(aAtB, deviceB.receive(third, FROM_A, T0 + 42 * MS, false));
    }

    /**
     * Under load a message with a valid cookie still passes the per-source rate limiter (kernel
     * cookie.c VALID_MAC_WITH_COOKIE_BUT_RATELIMITED, wireguard-go's receive.go): 5 at once, then
     * 20 per second, so a source with a cookie cannot make us run Curve25519 at line rate.
     */
    // ---- responses (§5.4.3) -------------------------------------------------------------------

    @Test
    void responsesInTheWrongStateForUnknownIndicesReplayedOrLateAreDropped() {
        ByteBuffer[] ir = initiationAndResponse(T0);
        ByteBuffer response = ir[1];
        int receiver = response.order(ByteOrder.LITTLE_ENDIAN).getInt(8);
        Snapshot a = atA();
        ByteBuffer unknown = copy(response);
        byte[] u = bytes(unknown);
        ByteBuffer.wrap(u).order(ByteOrder.LITTLE_ENDIAN).putInt(8, receiver ^ 0x0100_0000);
        assertEquals(drop(DropReason.UNKNOWN_RECEIVER_INDEX), deviceA.receive(remac(u, idA, T0), FROM_B, T0, false));
        // a response to B, which sent no initiation (B is the responder here)
        byte[] toB = bytes(response);
        assertEquals(drop(DropReason.MAC1_INVALID), deviceB.receive(ByteBuffer.wrap(toB.clone()), FROM_A, T0, false));
        ByteBuffer misrouted = remac(toB, idB, T0);
        Device.Received atB = deviceB.receive(misrouted, FROM_A, T0, false);
        assertTrue(atB.equals(drop(DropReason.UNKNOWN_RECEIVER_INDEX))
                || new Outcome.Drop(DropReason.HANDSHAKE_REJECTED).equals(((Device.Routed) atB).outcome()), atB.toString());
        assertEquals(a, atA());

        DeviceTest.routedTo(bAtA, deviceA.receive(copy(response), FROM_B, T0, false));
        Snapshot established = atA();
        assertEquals(new Outcome.Drop(DropReason.HANDSHAKE_REJECTED),
                DeviceTest.routedTo(bAtA, deviceA.receive(copy(response), FROM_B, T0 + MS, false)), "replayed response");
        assertEquals(established, atA());

        // a response after REKEY_TIMEOUT: the retransmit took a new index, the old one is gone
        ByteBuffer[] ir2 = new ByteBuffer[1];
        Device a2 = new Device(idA, random, () -> wall.addAndGet(WALL_STEP));
        Peer b2 = a2.addPeer(idB.publicKey(), psk, PeerConfig.defaults());
        ByteBuffer init2 = copy(PeerTest.only(b2.encapsulate(Packets.ipv4(60, 2, 1), T0)));
        ir2[0] = copy(PeerTest.only(DeviceTest.routedTo(aAtB, deviceB.receive(init2, FROM_A, T0 + S, false))));
        List<Outcome.TimerAction> retry = b2.updateTimers(T0 + ProtocolTimers.REKEY_TIMEOUT + 334 * MS);
        assertInstanceOf(Outcome.Send.class, retry.get(0));
        assertEquals(drop(DropReason.UNKNOWN_RECEIVER_INDEX), a2.receive(ir2[0], FROM_B, T0 + 6 * S, false));
        assertEquals(1, a2.liveIndices(), "only the retransmit's index");
    }

    /**
     * Low-order ephemeral keys (RFC 7748 §6.1; the kernel's and libsodium's blocklist): the
     * Diffie-Hellman result is zero, the message is dropped, nothing throws or changes.
     */
    @Test
    void lowOrderEphemeralsAreDroppedNeverThrown() {
        ByteBuffer[] ir = initiationAndResponse(T0);
        Snapshot a = atA();
        Snapshot b = atB();
        for (String hex : LOW_ORDER) {
            for (int high = 0; high < 2; high++) {
                byte[] point = HexFormat.of().parseHex(hex);
                point[31] |= (byte) (high << 7);
                byte[] init = bytes(ir[0]);
                System.arraycopy(point, 0, init, 8, 32);
                assertEquals(drop(DropReason.HANDSHAKE_REJECTED), deviceB.receive(remac(init, idB, T0), FROM_A, T0 + S, false));
                byte[] resp = bytes(ir[1]);
                System.arraycopy(point, 0, resp, 12, 32);
                assertEquals(new Outcome.Drop(DropReason.HANDSHAKE_REJECTED),
                        DeviceTest.routedTo(bAtA, deviceA.receive(remac(resp, idA, T0), FROM_B, T0, false)));
            }
        }
        assertEquals(a, atA());
        assertEquals(b, atB());
        assertInstanceOf(Outcome.WriteToNetwork.class, DeviceTest.routedTo(bAtA, deviceA.receive(ir[1], FROM_B, T0, false)));
    }

    /**
     * A peer whose static key is a low-order point is added (as the kernel and wireguard-go add
     * it), never throws, and never initiates: its packets wait staged, no initiation leaves.
     */
    @Test
    void lowOrderPeerKeysAreAddedButNeverInitiate() {
        for (String hex : LOW_ORDER) {
            for (int high = 0; high < 2; high++) {
                byte[] point = HexFormat.of().parseHex(hex);
                point[31] |= (byte) (high << 7);
                Peer p = deviceA.addPeer(NoisePublicKey.fromBytes(point), PresharedKey.NONE, PeerConfig.defaults());
                Outcome.Encapsulated out = p.encapsulate(Packets.ipv4(60, 2, 1), T0);
                assertTrue(assertInstanceOf(Outcome.Queued.class, out).datagrams().isEmpty(), hex + " initiated");
                assertTrue(p.updateTimers(T0 + 10 * S).isEmpty(), "no retries: nothing was sent");
                assertTrue(deviceA.removePeer(NoisePublicKey.fromBytes(point)));
            }
        }
        assertEquals(0, deviceA.liveIndices());
    }

    static final List<String> LOW_ORDER = LowOrderPoints.HEX;

    // ---- peers removed ------------------------------------------------------------------------

    /** A removed peer keeps no index: a late response or data for it is an unknown index. */
    @Test
    void removingAPeerWithAHandshakeInFlightFreesItsIndex() {
        ByteBuffer[] ir = initiationAndResponse(T0);
        assertEquals(1, deviceA.liveIndices(), "the initiation's index");
        deviceA.removePeer(idB.publicKey());
        assertEquals(0, deviceA.liveIndices());
        assertEquals(drop(DropReason.UNKNOWN_RECEIVER_INDEX), deviceA.receive(ir[1], FROM_B, T0, false));
    }

    /**
     * Re-adding a peer (the shell does on a changed PSK or keepalive) must not forget the newest
     * TAI64N seen (§5.4.2): a captured initiation replayed afterwards would pass, make B answer,
     * replace its next keypair and move A's endpoint to the replayer. The kernel and wireguard-go
     * keep the peer (and its timestamp) on such a change.
     */
    @Test
    void reAddingAPeerKeepsItsInitiationReplayProtection() {
        ByteBuffer captured = freshInitiation(T0);
        DeviceTest.routedTo(aAtB, deviceB.receive(copy(captured), FROM_A, T0, false));
        Peer readded = deviceB.addPeer(idA.publicKey(), PresharedKey.generate(random), PeerConfig.defaults());
        Snapshot b = atB();
        assertEquals(drop(DropReason.HANDSHAKE_REJECTED), deviceB.receive(copy(captured), FROM_A, T0 + S, false));
        assertEquals(b, atB());
        // and the flood rule still counts from the last consumed initiation
        ByteBuffer next = freshInitiation(T0);
        assertEquals(drop(DropReason.HANDSHAKE_REJECTED), deviceB.receive(copy(next), FROM_A, T0 + 10 * MS, false));
        DeviceTest.routedTo(readded, deviceB.receive(next, FROM_A, T0 + S, false));
    }

    // ---- property: random mutations of every message type --------------------------------

    /**
     * Random mutations (byte changes, truncation, extension) of genuine datagrams of each type
     * never throw, are never accepted, and change no state; the genuine datagrams still work.
     */
    @Test
    void mutatedDatagramsNeverThrowNorChangeState() {
        SplittableRandom rnd = new SplittableRandom(0x5eed);
        ByteBuffer[] ir = initiationAndResponse(T0);
        byte[] initiation = bytes(ir[0]);
        byte[] response = bytes(ir[1]);
        // B received the initiation already: replay it to a second B-side device state instead
        Device freshB = new Device(idB, random, () -> wall.addAndGet(WALL_STEP));
        Peer aAtFreshB = freshB.addPeer(idA.publicKey(), psk, PeerConfig.defaults());
        Snapshot fb = snapshot(freshB, aAtFreshB, idA);
        Snapshot a = atA();
        for (int i = 0; i < 1500; i++) {
            byte[] m = mutate(initiation, rnd, 132); // mac2 is not consulted when not under load
            assertInstanceOf(Device.Drop.class, freshB.receive(ByteBuffer.wrap(m), FROM_A, T0, false),
                    () -> "initiation mutation accepted: " + HexFormat.of().formatHex(m));
            assertDropped(deviceA.receive(ByteBuffer.wrap(mutate(response, rnd, 76)), FROM_B, T0, false));
        }
        assertEquals(fb, snapshot(freshB, aAtFreshB, idA));
        assertEquals(a, atA());
        DeviceTest.routedTo(aAtFreshB, freshB.receive(ByteBuffer.wrap(initiation), FROM_A, T0, false));

        // data: the handshake completes, then mutations of a genuine data message
        ByteBuffer staged = PeerTest.only(DeviceTest.routedTo(bAtA, deviceA.receive(ByteBuffer.wrap(response), FROM_B, T0, false)));
        assertInstanceOf(Outcome.WriteToTunnel.class, DeviceTest.routedTo(aAtB, deviceB.receive(staged, FROM_A, T0, false)));
        byte[] data = bytes(PeerTest.only(bAtA.encapsulate(Packets.ipv4(60, 2, 1), T0)));
        assertEquals(Constants.MESSAGE_DATA, data[0]);
        // cookie replies: B under load answers A's initiation with one; A holds its mac1
        byte[] cookie = bytes(assertInstanceOf(Device.SendCookieReply.class,
                deviceB.receive(ByteBuffer.wrap(initiation), FROM_A, T0, true)).reply());
        a = atA();
        Snapshot b = atB();
        for (int i = 0; i < 1500; i++) {
            assertDropped(deviceB.receive(ByteBuffer.wrap(mutate(data, rnd, data.length)), FROM_A, T0, false));
            assertDropped(deviceA.receive(ByteBuffer.wrap(mutate(cookie, rnd, cookie.length)), FROM_B, T0, false));
        }
        assertEquals(b, atB());
        assertEquals(a, atA());
        assertInstanceOf(Outcome.WriteToTunnel.class,
                DeviceTest.routedTo(aAtB, deviceB.receive(ByteBuffer.wrap(data), FROM_A, T0, false)));
        assertSame(Outcome.DONE, DeviceTest.routedTo(bAtA, deviceA.receive(ByteBuffer.wrap(cookie), FROM_B, T0, false)));
    }

    private static void assertDropped(Device.Received r) {
        if (r instanceof Device.Routed routed) {
            assertInstanceOf(Outcome.Drop.class, routed.outcome());
        } else {
            assertInstanceOf(Device.Drop.class, r);
        }
    }

    /** One to three random changes below {@code limit}, or a cut, or extra bytes. */
    static byte[] mutate(byte[] good, SplittableRandom rnd, int limit) {
        while (true) {
            byte[] m;
            switch (rnd.nextInt(4)) {
                case 0 -> m = java.util.Arrays.copyOf(good, rnd.nextInt(good.length));
                case 1 -> {
                    m = java.util.Arrays.copyOf(good, good.length + rnd.nextInt(1, 40));
                    for (int k = good.length; k < m.length; k++) {
                        m[k] = (byte) rnd.nextInt(256);
                    }
                }
                default -> {
                    m = good.clone();
                    for (int n = rnd.nextInt(1, 4); n > 0; n--) {
                        m[rnd.nextInt(limit)] = (byte) rnd.nextInt(256);
                    }
                }
            }
            if (!java.util.Arrays.equals(m, good)) {
                return m;
            }
        }
    }
}
