package io.warren.crypto.session;

import java.nio.ByteBuffer;

/**
 * ChaCha20-Poly1305 (RFC 8439 §2.8) for transport data messages, sealing and opening in place
 * (WireGuard whitepaper §5.4.6: {@code AEAD(T_send, counter, P, ε)}). The 96-bit nonce is 32 zero
 * bits followed by the little-endian 64-bit counter; the additional data is empty.
 *
 * <p>One instance holds one key and its reusable cipher object: not thread-safe, owned by one
 * {@link Keypair} direction. Two implementations here: the JDK's {@code Cipher} (fast on JDK 20+,
 * which has ChaCha20/Poly1305 intrinsics) and BouncyCastle's {@code ChaCha20Poly1305} (as fast on
 * JDK 17 for full-size packets, with far less allocation); {@link AeadImplementation#preferred()}
 * chooses between them. Shells may subclass it (a native library) and inject it through a
 * {@link TransportAeadFactory}; subclasses keep the contracts of {@link #seal} and {@link #open}.
 */
public abstract class TransportAead {
    /** Poly1305 tag length appended by {@link #seal}. */
    public static final int TAG_LENGTH = Constants.AUTH_TAG_LENGTH;

    /** Length of the RFC 8439 nonce: 32 zero bits, then the 64-bit counter. */
    protected static final int NONCE_LENGTH = 12;

    private final byte[] nonce = new byte[NONCE_LENGTH];

    protected TransportAead() {
    }

    /** Creates an instance of {@code implementation} for the 32-byte {@code key} (not retained by reference). */
    public static TransportAead create(AeadImplementation implementation, byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("ChaCha20-Poly1305 keys are 32 bytes");
        }
        return switch (implementation) {
            case JDK -> new JdkTransportAead(key);
            case BOUNCY_CASTLE -> new BcTransportAead(key);
        };
    }

    /** Which implementation this is, for logs and benchmarks ({@code "bouncy_castle"}, ...). */
    public abstract String implementationName();

    /**
     * Encrypts {@code buf[position, limit)} in place and appends the tag: on return the limit has
     * grown by {@link #TAG_LENGTH}. The caller guarantees {@code capacity - limit >= TAG_LENGTH}
     * and never reuses a counter with this key.
     */
    public void seal(long counter, ByteBuffer buf) {
        sealWith(nonceFor(counter), null, buf);
    }

    /**
     * Authenticates and decrypts {@code buf[position, limit)} (ciphertext and tag) in place. On
     * success returns true and the limit has shrunk by {@link #TAG_LENGTH}; on failure returns
     * false and the buffer's position and limit are unchanged. Never throws for bad input.
     */
    public boolean open(long counter, ByteBuffer buf) {
        if (buf.remaining() < TAG_LENGTH) {
            return false;
        }
        return openWith(nonceFor(counter), null, buf);
    }

    /** Overwrites the key material this instance holds, as far as the implementation allows. */
    public abstract void destroy();

    /**
     * Seal with an explicit 12-byte nonce and additional data ({@code null}: none), as
     * {@link #seal}; public for the RFC 8439 §2.8.2 vectors.
     */
    public abstract void sealWith(byte[] nonce12, byte[] aad, ByteBuffer buf);

    /**
     * Open with an explicit 12-byte nonce and additional data ({@code null}: none), as
     * {@link #open} (the caller checked that a tag fits); public for the RFC 8439 vectors.
     */
    public abstract boolean openWith(byte[] nonce12, byte[] aad, ByteBuffer buf);

    private byte[] nonceFor(long counter) {
        byte[] n = nonce;
        for (int i = 0; i < 8; i++) {
            n[4 + i] = (byte) (counter >>> (8 * i));
        }
        return n;
    }
}
