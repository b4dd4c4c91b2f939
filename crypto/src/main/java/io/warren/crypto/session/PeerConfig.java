package io.warren.crypto.session;

/**
 * Per-peer settings of the data path.
 *
 * @param mtu the tunnel MTU that caps padding (§5.4.6); 0 pads to multiples of 16 without cap
 * @param persistentKeepaliveNanos interval of the persistent keepalive (§6.5), 0 = off
 * @param aead makes the ChaCha20-Poly1305 instances of the keypairs (an {@link AeadImplementation}
 *     or a shell's native one)
 * @param sealLanes how many threads may seal for the peer at once: each keypair gets as many
 *     sending cipher instances ({@link Keypair#sealLanes}); at least 1
 */
public record PeerConfig(int mtu, long persistentKeepaliveNanos, TransportAeadFactory aead, int sealLanes) {
    /** Largest {@code sealLanes}. */
    public static final int MAX_SEAL_LANES = 64;

    public PeerConfig {
        java.util.Objects.requireNonNull(aead, "aead");
        if (sealLanes < 1 || sealLanes > MAX_SEAL_LANES) {
            throw new IllegalArgumentException("sealLanes out of range: " + sealLanes);
        }
        if (mtu < 0 || mtu > Constants.MAX_INNER_PACKET) {
            throw new IllegalArgumentException("mtu out of range: " + mtu);
        }
        if (persistentKeepaliveNanos < 0) {
            throw new IllegalArgumentException("negative persistent keepalive interval");
        }
    }

    /** One sealing thread at a time. */
    public PeerConfig(int mtu, long persistentKeepaliveNanos, TransportAeadFactory aead) {
        this(mtu, persistentKeepaliveNanos, aead, 1);
    }

    /** MTU 1420 (the usual WireGuard tunnel MTU), no persistent keepalive, the preferred AEAD. */
    public static PeerConfig defaults() {
        return new PeerConfig(1420, 0, AeadImplementation.preferred());
    }
}
