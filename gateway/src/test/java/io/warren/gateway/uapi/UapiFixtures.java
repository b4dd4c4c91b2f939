package io.warren.gateway.uapi;

import java.util.List;
import java.util.Optional;

/** Test values: every field non-zero, every key distinct. */
final class UapiFixtures {
    private UapiFixtures() {
    }

    /** A key whose bytes are {@code seed, seed+1, ...}: non-zero, distinct per seed. */
    static UapiKey key(int seed) {
        byte[] b = new byte[32];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (seed + i);
        }
        return UapiKey.of(b);
    }

    static String hex(int seed) {
        return key(seed).toHex();
    }

    static AllowedIp ip(String text) {
        return AllowedIp.parse(text).orElseThrow();
    }

    static PeerEndpoint endpoint(String text) {
        return PeerEndpoint.parse(text).orElseThrow();
    }

    /** A clamped private key, as a device stores it. */
    static UapiKey privateKey() {
        return DeviceChangeApplier.clamp(key(0x40));
    }

    /** Two peers with every field set to a non-zero value. */
    static DeviceState populated() {
        PeerState a = new PeerState(key(0x10), key(0x20), Optional.of(endpoint("[fd00::1]:51820")),
                1_700_000_123L, 456_789, 1111, 2222, 25, List.of(ip("10.1.2.0/24"), ip("fd00:1::/64")));
        PeerState b = new PeerState(key(0x30), key(0x50), Optional.of(endpoint("192.0.2.7:4500")),
                1_700_000_999L, 1, 3333, 4444, 65535, List.of(ip("10.9.0.1/32")));
        return new DeviceState(Optional.of(privateKey()), 51820, 0x1234, List.of(a, b));
    }
}
