package io.warren.gateway.uapi;

import static io.warren.gateway.uapi.UapiFixtures.endpoint;
import static io.warren.gateway.uapi.UapiFixtures.ip;
import static io.warren.gateway.uapi.UapiFixtures.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The reference semantics of a set transaction, on a populated device (every field non-zero). */
class UapiDeviceChangeApplierTest {
    private final DeviceState before = UapiFixtures.populated();

    private static PeerChange peer(UapiKey key, boolean replaceIps, List<AllowedIp> ips) {
        return new PeerChange(key, false, false, Optional.empty(), Optional.empty(), OptionalInt.empty(),
                replaceIps, ips);
    }

    private static DeviceChange change(PeerChange... peers) {
        return new DeviceChange(Optional.empty(), OptionalInt.empty(), OptionalLong.empty(), false, List.of(peers));
    }

    @Test
    void anAllowedIpMovesFromThePeerThatHeldIt() {
        DeviceState after = DeviceChangeApplier.apply(before, change(peer(key(0x30), false, List.of(ip("10.1.2.0/24")))));
        assertEquals(List.of(ip("fd00:1::/64")), after.peer(key(0x10)).orElseThrow().allowedIps());
        assertEquals(List.of(ip("10.9.0.1/32"), ip("10.1.2.0/24")), after.peer(key(0x30)).orElseThrow().allowedIps());
    }

    @Test
    void addingAPrefixTwiceKeepsOneCopy() {
        DeviceState after = DeviceChangeApplier.apply(before,
                change(peer(key(0x30), false, List.of(ip("10.9.0.1/32"), ip("10.9.0.1/32")))));
        assertEquals(List.of(ip("10.9.0.1/32")), after.peer(key(0x30)).orElseThrow().allowedIps());
    }

    @Test
    void updatesKeepCountersEndpointAndPosition() {
        DeviceState after = DeviceChangeApplier.apply(before, change(peer(key(0x10), true, List.of())));
        PeerState p = after.peers().get(0);
        PeerState old = before.peers().get(0);
        assertEquals(key(0x10), p.publicKey());
        assertEquals(List.of(), p.allowedIps());
        assertEquals(old.txBytes(), p.txBytes());
        assertEquals(old.rxBytes(), p.rxBytes());
        assertEquals(old.endpoint(), p.endpoint());
        assertEquals(old.lastHandshakeEpochSeconds(), p.lastHandshakeEpochSeconds());
    }

    @Test
    void newPeersStartFreshAtTheEnd() {
        PeerChange add = new PeerChange(key(0x70), false, false, Optional.of(key(0x71)),
                Optional.of(endpoint("203.0.113.5:9")), OptionalInt.of(13), false, List.of(ip("10.70.0.0/16")));
        DeviceState after = DeviceChangeApplier.apply(before, change(add));
        PeerState p = after.peers().get(2);
        assertEquals(new PeerState(key(0x70), key(0x71), Optional.of(endpoint("203.0.113.5:9")), 0, 0, 0, 0, 13,
                List.of(ip("10.70.0.0/16"))), p);
    }

    @Test
    void replacePeersThenAddKeepsOnlyTheNewOnes() {
        DeviceChange c = new DeviceChange(Optional.empty(), OptionalInt.of(9), OptionalLong.of(3), true,
                List.of(peer(key(0x30), false, List.of(ip("10.1.2.0/24")))));
        DeviceState after = DeviceChangeApplier.apply(before, c);
        assertEquals(1, after.peers().size());
        assertEquals(0, after.peers().get(0).txBytes(), "a replaced peer starts over, as in wireguard-go");
        assertEquals(9, after.listenPort());
        assertEquals(3, after.fwmark());
    }

    @Test
    void aPeerWithTheDevicesOwnPublicKeyIsIgnoredAndRemoved() {
        UapiKey priv = DeviceChangeApplier.clamp(key(0x40));
        UapiKey pub = DeviceChangeApplier.publicKeyOf(priv);
        DeviceState withSelf = DeviceChangeApplier.apply(DeviceState.EMPTY, change(peer(pub, false, List.of())));
        assertEquals(1, withSelf.peers().size(), "no private key yet: an ordinary peer");
        DeviceChange setKeyAndSelf = new DeviceChange(Optional.of(key(0x40)), OptionalInt.empty(),
                OptionalLong.empty(), false, List.of(peer(pub, false, List.of(ip("10.0.0.0/8")))));
        DeviceState after = DeviceChangeApplier.apply(withSelf, setKeyAndSelf);
        assertEquals(List.of(), after.peers());
    }

    @Test
    void privateKeysAreClampedAndPublicKeysMatchRfc7748() {
        UapiKey unclamped = UapiKey.of(new byte[] {
            (byte) 0xff, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
            16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, (byte) 0xff});
        byte[] c = DeviceChangeApplier.clamp(unclamped).bytes();
        assertEquals((byte) 0xf8, c[0]);
        assertEquals((byte) 0x7f, c[31]);
        // RFC 7748 section 6.1: Alice's private key and public key.
        UapiKey alice = UapiKey.parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a").orElseThrow();
        assertEquals("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a",
                DeviceChangeApplier.publicKeyOf(alice).toHex());
    }

    @Test
    void removeWinsOverEverythingElseInItsSection() {
        PeerChange removeWithIps = new PeerChange(key(0x10), true, false, Optional.of(key(1)), Optional.empty(),
                OptionalInt.of(1), false, List.of(ip("10.9.0.1/32")));
        DeviceState after = DeviceChangeApplier.apply(before, change(removeWithIps));
        assertTrue(after.peer(key(0x10)).isEmpty());
        assertEquals(List.of(ip("10.9.0.1/32")), after.peer(key(0x30)).orElseThrow().allowedIps());
    }
}
