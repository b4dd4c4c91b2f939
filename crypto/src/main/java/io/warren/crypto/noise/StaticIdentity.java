package io.warren.crypto.noise;

import io.warren.crypto.primitives.Blake2s;
import io.warren.crypto.primitives.NoisePrivateKey;
import io.warren.crypto.primitives.NoisePublicKey;

/**
 * This interface's long-term identity (whitepaper §5.4): the static key pair and the two keys derived
 * from the public half that peers use to reach us (§5.4.4, §5.4.7):
 * {@code mac1 key = HASH(LABEL-MAC1 || S_pub)} and {@code cookie key = HASH(LABEL-COOKIE || S_pub)}.
 * Immutable and thread-safe. The per-peer static-static DH is precomputed by each {@link Handshake}.
 */
public final class StaticIdentity {
    private final NoisePrivateKey privateKey;
    private final NoisePublicKey publicKey;
    private final byte[] mac1Key;
    private final byte[] cookieKey;

    public StaticIdentity(NoisePrivateKey privateKey) {
        this.privateKey = privateKey;
        this.publicKey = privateKey.publicKey();
        this.mac1Key = mac1Key(publicKey);
        this.cookieKey = cookieKey(publicKey);
    }

    /** {@code HASH(LABEL-MAC1 || pub)}: the key of mac1 on messages sent to the owner of {@code pub}. */
    public static byte[] mac1Key(NoisePublicKey pub) {
        return Blake2s.hash(WireGuard.ascii(WireGuard.LABEL_MAC1), pub.bytes());
    }

    /** {@code HASH(LABEL-COOKIE || pub)}: the XAEAD key of cookie replies sent by the owner of {@code pub}. */
    public static byte[] cookieKey(NoisePublicKey pub) {
        return Blake2s.hash(WireGuard.ascii(WireGuard.LABEL_COOKIE), pub.bytes());
    }

    public NoisePrivateKey privateKey() {
        return privateKey;
    }

    public NoisePublicKey publicKey() {
        return publicKey;
    }

    /** The key that checks mac1 of messages addressed to us (a copy). */
    public byte[] mac1Key() {
        return mac1Key.clone();
    }

    /** The key that encrypts our cookie replies (a copy). */
    public byte[] cookieKey() {
        return cookieKey.clone();
    }

    @Override
    public String toString() {
        return "StaticIdentity[" + publicKey + "]";
    }
}
