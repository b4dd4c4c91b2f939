package io.warren.gateway.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.crypto.primitives.NoisePrivateKey;
import io.warren.crypto.primitives.NoisePublicKey;
import io.warren.crypto.session.Device;
import io.warren.gateway.uapi.AllowedIp;
import io.warren.gateway.uapi.DeviceState;
import io.warren.gateway.uapi.PeerState;
import io.warren.gateway.uapi.UapiKey;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link PeerTable#apply}: whole-or-nothing changes of the configured peers. */
class PeerTableTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** A point of order 8 (RFC 7748 §6.1; in libsodium's {@code has_small_order} list). */
    private static final byte[] ORDER_8 =
            HexFormat.of().parseHex("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800");

    private final NoisePrivateKey own = NoisePrivateKey.generate(RANDOM);
    private final PeerTable table = new PeerTable(1420, 1);

    static PeerState peer(byte[] publicKey, String... allowed) {
        List<AllowedIp> ips = java.util.Arrays.stream(allowed).map(s -> AllowedIp.parse(s).orElseThrow()).toList();
        return new PeerState(UapiKey.of(publicKey), UapiKey.ZERO, Optional.empty(), 0, 0, 0, 0, 0, ips);
    }

    DeviceState state(PeerState... peers) {
        return new DeviceState(Optional.of(UapiKey.of(own.bytes())), 51820, 0, List.of(peers));
    }

    static byte[] somePublicKey() {
        return NoisePrivateKey.generate(RANDOM).publicKey().bytes();
    }

    static int v4(int a, int b, int c, int d) {
        return a << 24 | b << 16 | c << 8 | d;
    }

    /**
     * {@code wg set wg0 peer <low-order key>}: accepted as the kernel and wireguard-go accept it
     * (its handshakes fail), and the rest of the set is applied in full: nothing half-applied.
     */
    @Test
    void aLowOrderPeerKeyIsAcceptedAndTheWholeSetApplied() {
        byte[] old = somePublicKey();
        byte[] good = somePublicKey();
        table.apply(state(peer(old, "10.0.9.0/24")), 51820);
        table.apply(state(peer(ORDER_8, "10.0.1.0/24"), peer(good, "10.0.2.0/24")), 51820);
        assertEquals(2, table.peers().size());
        assertNull(table.get(NoisePublicKey.fromBytes(old)));
        assertSame(table.get(NoisePublicKey.fromBytes(good)), table.allowedIps().lookupV4(v4(10, 0, 2, 1)));
        assertSame(table.get(NoisePublicKey.fromBytes(ORDER_8)), table.allowedIps().lookupV4(v4(10, 0, 1, 1)));
        assertNull(table.allowedIps().lookupV4(v4(10, 0, 9, 1)));
        assertEquals(2, table.snapshot(51820).peers().size());
    }

    /**
     * An exception part-way through an apply (here every peer's settings are refused: seal lanes
     * 0) leaves the table as it was: same identity, same peers, same routes, same desired state.
     */
    @Test
    void aFailingApplyChangesNothing() {
        PeerTable broken = new PeerTable(1420, 0);
        broken.apply(state(), 51820);
        Device before = broken.device();
        DeviceState snapshot = broken.snapshot(51820);
        NoisePrivateKey other = NoisePrivateKey.generate(RANDOM);
        DeviceState rekeyed = new DeviceState(Optional.of(UapiKey.of(other.bytes())), 51820, 0,
                List.of(peer(somePublicKey(), "10.0.2.0/24")));
        assertThrows(IllegalArgumentException.class, () -> broken.apply(rekeyed, 51820));
        assertSame(before, broken.device(), "identity kept");
        assertEquals(snapshot, broken.snapshot(51820));
        assertTrue(broken.peers().isEmpty());
        assertEquals(0, broken.allowedIps().size());
    }
}
