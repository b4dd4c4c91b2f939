package io.warren.crypto.noise;

import io.warren.crypto.primitives.Aead;
import io.warren.crypto.primitives.Blake2s;
import io.warren.crypto.primitives.Hkdf;
import java.util.Arrays;

/**
 * The Noise SymmetricState (Noise spec rev. 34 §5.2) with WireGuard's functions: chaining key
 * {@code C}, hash {@code H} and cipher key {@code k} with nonce {@code n}. The handshake of
 * whitepaper §5.4.2-§5.4.5 is a sequence of these calls; keeping them in one small class lets the
 * Noise test vectors of other protocol names and prologues check the same code.
 *
 * <p>Not thread-safe; owned by one {@link Handshake}. {@link #wipe()} zeroes every secret.
 */
final class SymmetricState {
    private byte[] chainingKey;
    private byte[] hash;
    private byte[] key;
    private long nonce;

    private SymmetricState(byte[] chainingKey, byte[] hash) {
        this.chainingKey = chainingKey;
        this.hash = hash;
    }

    /** {@code InitializeSymmetric(protocol_name)} then {@code MixHash(prologue)}. */
    static SymmetricState initialize(byte[] protocolName, byte[] prologue) {
        byte[] h;
        if (protocolName.length <= Blake2s.HASH_LEN) {
            h = Arrays.copyOf(protocolName, Blake2s.HASH_LEN);
        } else {
            h = Blake2s.hash(protocolName);
        }
        SymmetricState s = new SymmetricState(h.clone(), h);
        s.mixHash(prologue);
        return s;
    }

    /** The WireGuard start state: {@code C_i = HASH(CONSTRUCTION)}, {@code H_i = HASH(C_i || IDENTIFIER)}. */
    static SymmetricState wireGuard() {
        return new SymmetricState(WireGuard.INITIAL_CHAIN_KEY.clone(), WireGuard.INITIAL_HASH.clone());
    }

    /** A deep copy, so a consume step can fail without touching the stored state. */
    SymmetricState copy() {
        SymmetricState s = new SymmetricState(chainingKey.clone(), hash.clone());
        s.key = key == null ? null : key.clone();
        s.nonce = nonce;
        return s;
    }

    /** {@code H := HASH(H || data)}. */
    void mixHash(byte[] data) {
        hash = Blake2s.hash(hash, data);
    }

    /** {@code C, k := KDF2(C, input)}, {@code n := 0} (for a public ephemeral, WG also does this). */
    void mixKey(byte[] input) {
        byte[][] t = Hkdf.kdf2(chainingKey, input);
        replaceChainingKey(t[0]);
        replaceKey(t[1]);
    }

    /** {@code C, τ, k := KDF3(C, input)}; {@code MixHash(τ)} (the {@code psk} token). */
    void mixKeyAndHash(byte[] input) {
        byte[][] t = Hkdf.kdf3(chainingKey, input);
        replaceChainingKey(t[0]);
        mixHash(t[1]);
        Arrays.fill(t[1], (byte) 0);
        replaceKey(t[2]);
    }

    /** {@code c := AEAD(k, n++, plain, H)}; {@code MixHash(c)}. */
    byte[] encryptAndHash(byte[] plain) {
        byte[] c = Aead.seal(key, nonce++, plain, hash);
        mixHash(c);
        return c;
    }

    /** Opens {@code c} with {@code AEAD(k, n++, ·, H)} and mixes it; {@code null} when forged. */
    byte[] decryptAndHash(byte[] c) {
        byte[] p = Aead.open(key, nonce++, c, hash);
        if (p != null) {
            mixHash(c);
        }
        return p;
    }

    /** {@code Split()}: {@code (T_1, T_2) = KDF2(C, ε)}. */
    byte[][] split() {
        return Hkdf.kdf2(chainingKey, new byte[0]);
    }

    byte[] hash() {
        return hash.clone();
    }

    /** Overwrites the chaining key, hash and cipher key with zeros. */
    void wipe() {
        Arrays.fill(chainingKey, (byte) 0);
        Arrays.fill(hash, (byte) 0);
        if (key != null) {
            Arrays.fill(key, (byte) 0);
        }
    }

    private void replaceChainingKey(byte[] ck) {
        Arrays.fill(chainingKey, (byte) 0);
        chainingKey = ck;
    }

    private void replaceKey(byte[] k) {
        if (key != null) {
            Arrays.fill(key, (byte) 0);
        }
        key = k;
        nonce = 0;
    }
}
