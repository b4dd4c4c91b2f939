package io.warren.crypto.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * mac1, mac2, cookie replies and the per-source rate limit at the {@link Device} (whitepaper
 * §5.3, §5.4.4, §5.4.7) against forged, replayed and flooding messages: counted drops or cookie
 * replies, no state change.
 */
class DeviceCookieHostileTest extends HostileDevices {

    @Test
    void mac1WrongIsDroppedMac2IsOnlyCheckedUnderLoad() {
        ByteBuffer initiation = freshInitiation(T0);
        Snapshot b = atB();
        for (int i = 116; i < 132; i++) {
            ByteBuffer bad = copy(initiation);
            bad.put(i, (byte) (bad.get(i) ^ 1));
            assertEquals(drop(DropReason.MAC1_INVALID), deviceB.receive(bad, FROM_A, T0, false));
            assertEquals(drop(DropReason.MAC1_INVALID), deviceB.receive(copy(bad).rewind(), FROM_A, T0, true));
        }
        ByteBuffer wrongMac2 = copy(initiation);
        wrongMac2.put(140, (byte) 0x5a);
        assertInstanceOf(Device.SendCookieReply.class, deviceB.receive(copy(wrongMac2), FROM_A, T0, true));
        assertInstanceOf(Device.SendCookieReply.class, deviceB.receive(copy(initiation), FROM_A, T0, true), "zero mac2");
        assertEquals(b, atB());
        // not under load mac2 is ignored (wireguard-go, the kernel): the wrong one passes
        assertInstanceOf(Outcome.WriteToNetwork.class,
                DeviceTest.routedTo(aAtB, deviceB.receive(wrongMac2, FROM_A, T0, false)));
    }

    /** A cookie reply is forged, misaddressed, unsolicited or replayed: nothing is stored. */
    @Test
    void forgedUnsolicitedAndReplayedCookieRepliesAreDropped() {
        ByteBuffer initiation = copy(PeerTest.only(bAtA.encapsulate(Packets.ipv4(60, 2, 1), T0)));
        ByteBuffer reply = copy(assertInstanceOf(Device.SendCookieReply.class,
                deviceB.receive(copy(initiation), FROM_A, T0, true)).reply());
        Snapshot a = atA();
        int index = reply.order(ByteOrder.LITTLE_ENDIAN).getInt(4);
        for (int i = 8; i < 64; i++) { // nonce and sealed cookie
            ByteBuffer forged = copy(reply);
            forged.put(i, (byte) (forged.get(i) ^ 0x40));
            assertEquals(new Outcome.Drop(DropReason.HANDSHAKE_REJECTED),
                    DeviceTest.routedTo(bAtA, deviceA.receive(forged, FROM_B, T0, false)));
        }
        ByteBuffer otherIndex = copy(reply).order(ByteOrder.LITTLE_ENDIAN).putInt(4, index + 1);
        assertEquals(drop(DropReason.UNKNOWN_RECEIVER_INDEX), deviceA.receive(otherIndex, FROM_B, T0, false));
        // a peer that never sent a handshake message cannot take a cookie
        Peer other = deviceB.peer(idA.publicKey());
        assertEquals(new Outcome.Drop(DropReason.HANDSHAKE_REJECTED), other.decapsulate(copy(reply), T0));
        assertEquals(a, atA());

        assertSame(Outcome.DONE, DeviceTest.routedTo(bAtA, deviceA.receive(copy(reply), FROM_B, T0, false)));
        // the kernel forgets the mac1 a cookie answered (cookie.c: have_sent_mac1 = false):
        // a replay must not renew the cookie's 120 s lifetime
        assertEquals(new Outcome.Drop(DropReason.HANDSHAKE_REJECTED),
                DeviceTest.routedTo(bAtA, deviceA.receive(copy(reply), FROM_B, T0 + 100 * S, false)));
        long t = T0 + 119 * S;
        List<Outcome.TimerAction> acts = bAtA.updateTimers(t);
        Outcome.Send retry = assertInstanceOf(Outcome.Send.class, acts.get(0));
        assertNotEquals(0L, retry.datagram().order(ByteOrder.LITTLE_ENDIAN).getLong(132 + retry.datagram().position()),
                "within 120 s of the reply the retry carries mac2");
        ByteBuffer late = initiationAfterTimers(T0 + 121 * S);
        assertEquals(0L, late.order(ByteOrder.LITTLE_ENDIAN).getLong(132) | late.getLong(140),
                "120 s after the (first) reply mac2 is zero again");
    }

    @Test
    void underLoadMessagesWithAValidCookieAreRateLimitedPerSource() {
        ByteBuffer initiation = copy(PeerTest.only(bAtA.encapsulate(Packets.ipv4(60, 2, 1), T0)));
        ByteBuffer reply = assertInstanceOf(Device.SendCookieReply.class,
                deviceB.receive(initiation, FROM_A, T0, true)).reply();
        assertSame(Outcome.DONE, DeviceTest.routedTo(bAtA, deviceA.receive(reply, FROM_B, T0, false)));
        long t = T0 + ProtocolTimers.REKEY_TIMEOUT + 333 * MS;
        ByteBuffer withCookie = initiationAfterTimers(t);
        int routed = 0;
        int rejected = 0;
        int limited = 0;
        for (int i = 0; i < 30; i++) {
            Device.Received r = deviceB.receive(copy(withCookie), FROM_A, t, true);
            if (r instanceof Device.Routed) {
                routed++;
            } else if (r.equals(drop(DropReason.HANDSHAKE_REJECTED))) {
                rejected++;
            } else if (r.equals(drop(DropReason.HANDSHAKE_RATE_LIMITED))) {
                limited++;
            } else {
                throw new AssertionError(r.toString());
            }
        }
        assertEquals(1, routed);
        assertEquals(4, rejected, "the burst of 5 reaches the handshake (one consumed, four replays)");
        assertEquals(25, limited);
        // 50 ms later the bucket holds one more token
        assertEquals(drop(DropReason.HANDSHAKE_REJECTED), deviceB.receive(copy(withCookie), FROM_A, t + 50 * MS, true));
        assertEquals(drop(DropReason.HANDSHAKE_RATE_LIMITED), deviceB.receive(copy(withCookie), FROM_A, t + 50 * MS, true));
        // not under load there is no per-source limit
        for (int i = 0; i < 10; i++) {
            assertEquals(drop(DropReason.HANDSHAKE_REJECTED), deviceB.receive(copy(withCookie), FROM_A, t + 60 * MS, false));
        }
    }
}
