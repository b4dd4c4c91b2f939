/**
 * Cryptographic primitives of the WireGuard protocol (whitepaper §5.4, "Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s"):
 * thin wrappers over BouncyCastle, never hand-written ciphers.
 *
 * <p>Role: {@link io.warren.crypto.primitives.Blake2s} (HASH, keyed MAC, HMAC),
 * {@link io.warren.crypto.primitives.Hkdf} (KDF1/2/3), {@link io.warren.crypto.primitives.X25519} (DH),
 * {@link io.warren.crypto.primitives.Aead} (ChaCha20-Poly1305, RFC 8439),
 * {@link io.warren.crypto.primitives.XAead} (XChaCha20-Poly1305 for cookie replies),
 * {@link io.warren.crypto.primitives.Tai64n} timestamps, {@link io.warren.crypto.primitives.ConstantTime}
 * comparison, and the 32-byte key value types {@link io.warren.crypto.primitives.NoisePrivateKey},
 * {@link io.warren.crypto.primitives.NoisePublicKey} and {@link io.warren.crypto.primitives.PresharedKey}.
 *
 * <p>Threading: static helpers are stateless and thread-safe; an {@link io.warren.crypto.primitives.Aead}
 * instance holds a reusable cipher and belongs to one thread. Key value types are immutable.
 *
 * <p>Buffers: every array passed in stays owned by the caller and is not retained (key types copy their
 * input); returned arrays are fresh and owned by the caller. Authentication failure is a {@code false}
 * return, never an exception. Key material never appears in {@code toString()} or exception messages.
 */
package io.warren.crypto.primitives;
