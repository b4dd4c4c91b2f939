package io.warren.crypto.session;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@link TransportAead} over the JDK's {@code Cipher("ChaCha20-Poly1305")}. One {@code Cipher}
 * object is re-initialised per packet with a fresh nonce (the JDK refuses nonce reuse for
 * encryption). Data goes through per-thread scratch arrays ({@link AeadScratch}), so a forged
 * packet leaves the caller's buffer unchanged.
 */
final class JdkTransportAead extends TransportAead {
    private final Cipher cipher;
    private final SecretKeySpec key;

    JdkTransportAead(byte[] keyBytes) {
        try {
            this.cipher = Cipher.getInstance("ChaCha20-Poly1305");
        } catch (java.security.NoSuchAlgorithmException | NoSuchPaddingException e) {
            throw new IllegalStateException("JDK lacks ChaCha20-Poly1305 (Java 11+ required)", e);
        }
        this.key = new SecretKeySpec(keyBytes, "ChaCha20");
    }

    @Override
    public String implementationName() {
        return "jdk";
    }

    private void init(int mode, byte[] nonce12, byte[] aad) {
        try {
            cipher.init(mode, key, new IvParameterSpec(nonce12));
        } catch (InvalidKeyException e) {
            // Java 17 refuses the key and nonce of the previous init even for decryption; a
            // replayed or forged packet can repeat a counter, so step through another nonce.
            if (mode != Cipher.DECRYPT_MODE) {
                throw new IllegalStateException("ChaCha20-Poly1305 nonce reused for encryption", e);
            }
            byte[] other = nonce12.clone();
            other[0] ^= 1;
            initOrFail(mode, other);
            initOrFail(mode, nonce12);
        } catch (InvalidAlgorithmParameterException e) {
            throw new IllegalStateException("ChaCha20-Poly1305 rejected a 12-byte nonce", e);
        }
        if (aad != null) {
            cipher.updateAAD(aad);
        }
    }

    private void initOrFail(int mode, byte[] nonce12) {
        try {
            cipher.init(mode, key, new IvParameterSpec(nonce12));
        } catch (InvalidKeyException | InvalidAlgorithmParameterException e) {
            throw new IllegalStateException("ChaCha20-Poly1305 rejected a valid key and fresh nonce", e);
        }
    }

    @Override
    public void sealWith(byte[] nonce12, byte[] aad, ByteBuffer buf) {
        init(Cipher.ENCRYPT_MODE, nonce12, aad);
        try {
            process(buf, buf.remaining() + TAG_LENGTH);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ChaCha20-Poly1305 encryption failed", e);
        }
    }

    @Override
    public boolean openWith(byte[] nonce12, byte[] aad, ByteBuffer buf) {
        init(Cipher.DECRYPT_MODE, nonce12, aad);
        try {
            process(buf, buf.remaining());
            return true;
        } catch (AEADBadTagException e) {
            return false; // forged or corrupted: a normal, counted drop
        } catch (GeneralSecurityException e) {
            return false; // e.g. short buffer: treated as malformed input
        }
    }

    /**
     * Runs the initialised cipher through the {@code byte[]} API with the thread's scratch arrays
     * (the {@code ByteBuffer} API copies direct buffers through fresh temporary arrays), then
     * copies the result back; on failure the buffer is untouched.
     */
    private void process(ByteBuffer buf, int outMax) throws GeneralSecurityException {
        int len = buf.remaining();
        int pos = buf.position();
        AeadScratch s = AeadScratch.get();
        byte[] out = s.out(outMax);
        byte[] in;
        int off;
        if (buf.hasArray()) {
            in = buf.array();
            off = buf.arrayOffset() + pos;
        } else {
            in = s.in(len);
            off = 0;
            buf.get(pos, in, 0, len);
        }
        int n = cipher.doFinal(in, off, len, out, 0);
        buf.limit(pos + n);
        buf.put(pos, out, 0, n);
    }

    @Override
    public void destroy() {
        // SecretKeySpec keeps a private copy that Java 17 cannot wipe (getEncoded() returns a
        // clone); dropping the reference with the keypair is all that is possible here.
    }
}
