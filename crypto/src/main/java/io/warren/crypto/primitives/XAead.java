package io.warren.crypto.primitives;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.modes.XChaCha20Poly1305;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * {@code XAEAD(key, nonce, plain text, auth text)} of the WireGuard whitepaper §5.4: XChaCha20-Poly1305
 * (draft-irtf-cfrg-xchacha §2) with a 24-byte random nonce, used only for cookie replies (§5.4.7).
 * BouncyCastle 1.87 ships {@link XChaCha20Poly1305} (HChaCha20 subkey then ChaCha20-Poly1305), so no
 * subkey derivation is written here.
 */
public final class XAead {
    /** Nonce length, bytes. */
    public static final int NONCE_LEN = 24;
    /** Poly1305 tag length, bytes. */
    public static final int TAG_LEN = 16;

    private XAead() {
    }

    /** Encrypts {@code plain}; returns cipher text followed by the 16-byte tag. */
    public static byte[] seal(byte[] key, byte[] nonce, byte[] plain, byte[] aad) {
        XChaCha20Poly1305 c = new XChaCha20Poly1305();
        c.init(true, new AEADParameters(new KeyParameter(key), TAG_LEN * 8, nonce, aad));
        byte[] out = new byte[plain.length + TAG_LEN];
        int n = c.processBytes(plain, 0, plain.length, out, 0);
        try {
            c.doFinal(out, n);
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("XChaCha20-Poly1305 encryption cannot fail", e);
        }
        return out;
    }

    /** The plain text of {@code sealed}, or {@code null} when it is shorter than a tag or does not authenticate. */
    public static byte[] open(byte[] key, byte[] nonce, byte[] sealed, byte[] aad) {
        if (sealed.length < TAG_LEN || nonce.length != NONCE_LEN) {
            return null;
        }
        XChaCha20Poly1305 c = new XChaCha20Poly1305();
        c.init(false, new AEADParameters(new KeyParameter(key), TAG_LEN * 8, nonce, aad));
        byte[] out = new byte[sealed.length - TAG_LEN];
        int n = c.processBytes(sealed, 0, sealed.length, out, 0);
        try {
            c.doFinal(out, n);
            return out;
        } catch (InvalidCipherTextException e) {
            return null;
        }
    }
}
