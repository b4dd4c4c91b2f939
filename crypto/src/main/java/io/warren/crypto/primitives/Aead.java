package io.warren.crypto.primitives;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * {@code AEAD(key, counter, plain text, auth text)} of the WireGuard whitepaper §5.4: ChaCha20-Poly1305
 * (RFC 8439 §2.8) on BouncyCastle, with the 96-bit nonce made of 32 zero bits followed by the 64-bit
 * little-endian {@code counter}.
 *
 * <p>An instance keeps one BouncyCastle cipher for reuse and is confined to one thread. Opening fails
 * by returning {@code false}, never by throwing. Sealing twice under the same key and counter on one
 * instance throws {@link IllegalArgumentException} (BouncyCastle's nonce-reuse guard): that is a
 * caller bug, since WireGuard never reuses a counter.
 */
public final class Aead {
    /** Poly1305 tag length, bytes. */
    public static final int TAG_LEN = 16;
    /** Key length, bytes. */
    public static final int KEY_LEN = 32;

    private final ChaCha20Poly1305 cipher = new ChaCha20Poly1305();
    private final byte[] nonce = new byte[12];

    /** The RFC 8439 nonce for a WireGuard counter: 4 zero bytes then the counter, little-endian. */
    public static byte[] nonce(long counter) {
        byte[] n = new byte[12];
        for (int i = 0; i < 8; i++) {
            n[4 + i] = (byte) (counter >>> (8 * i));
        }
        return n;
    }

    /**
     * Encrypts {@code in[inOff..inOff+len)} into {@code out[outOff..outOff+len+16)} (cipher text then tag).
     *
     * @return the number of bytes written, {@code len + 16}
     */
    public int seal(byte[] key, long counter, byte[] in, int inOff, int len, byte[] aad, byte[] out, int outOff) {
        init(true, key, counter, aad);
        int n = cipher.processBytes(in, inOff, len, out, outOff);
        try {
            return n + cipher.doFinal(out, outOff + n);
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("ChaCha20-Poly1305 encryption cannot fail", e);
        }
    }

    /**
     * Decrypts and authenticates {@code in[inOff..inOff+len)} (cipher text then 16-byte tag) into
     * {@code out[outOff..outOff+len-16)}.
     *
     * @return true when the tag verified; false for a forged or truncated input (output then undefined)
     */
    public boolean open(byte[] key, long counter, byte[] in, int inOff, int len, byte[] aad, byte[] out, int outOff) {
        if (len < TAG_LEN) {
            return false;
        }
        init(false, key, counter, aad);
        int n = cipher.processBytes(in, inOff, len, out, outOff);
        try {
            cipher.doFinal(out, outOff + n);
            return true;
        } catch (InvalidCipherTextException e) {
            return false;
        }
    }

    /** Convenience: {@code AEAD(key, counter, plain, aad)} as a fresh array. */
    public static byte[] seal(byte[] key, long counter, byte[] plain, byte[] aad) {
        byte[] out = new byte[plain.length + TAG_LEN];
        new Aead().seal(key, counter, plain, 0, plain.length, aad, out, 0);
        return out;
    }

    /** Convenience: the plain text of {@code sealed}, or {@code null} when authentication fails. */
    public static byte[] open(byte[] key, long counter, byte[] sealed, byte[] aad) {
        if (sealed.length < TAG_LEN) {
            return null;
        }
        byte[] out = new byte[sealed.length - TAG_LEN];
        return new Aead().open(key, counter, sealed, 0, sealed.length, aad, out, 0) ? out : null;
    }

    /**
     * ChaCha20-Poly1305 with an explicit 12-byte RFC 8439 nonce (for known-answer tests against
     * RFC 8439 §2.8.2, whose nonce does not have the WireGuard form).
     */
    public static byte[] sealWithNonce(byte[] key, byte[] nonce12, byte[] plain, byte[] aad) {
        ChaCha20Poly1305 c = new ChaCha20Poly1305();
        c.init(true, new AEADParameters(new KeyParameter(key), TAG_LEN * 8, nonce12.clone(), aad));
        byte[] out = new byte[plain.length + TAG_LEN];
        int n = c.processBytes(plain, 0, plain.length, out, 0);
        try {
            c.doFinal(out, n);
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("ChaCha20-Poly1305 encryption cannot fail", e);
        }
        return out;
    }

    private void init(boolean encrypt, byte[] key, long counter, byte[] aad) {
        for (int i = 0; i < 8; i++) {
            nonce[4 + i] = (byte) (counter >>> (8 * i));
        }
        // A new nonce array per init: BouncyCastle refuses to encrypt twice under the same key and nonce.
        cipher.init(encrypt, new AEADParameters(new KeyParameter(key), TAG_LEN * 8, nonce.clone(),
                aad == null ? new byte[0] : aad));
    }
}
