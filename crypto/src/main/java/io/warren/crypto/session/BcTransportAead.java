package io.warren.crypto.session;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * {@link TransportAead} over BouncyCastle's {@link ChaCha20Poly1305}. The key schedule is set once;
 * later inits pass a null key (keeps it, ~40% cheaper on small packets). BouncyCastle works on
 * {@code byte[]}: buffers are processed through per-thread scratch arrays (plaintext scratch may
 * hold a packet until the thread's next packet overwrites it).
 */
final class BcTransportAead extends TransportAead {
    private final ChaCha20Poly1305 cipher = new ChaCha20Poly1305();
    private final KeyParameter key;
    private boolean keyLoaded;
    private Boolean lastDirection;

    BcTransportAead(byte[] keyBytes) {
        this.key = new KeyParameter(keyBytes);
    }

    @Override
    public String implementationName() {
        return "bouncy_castle";
    }

    private void init(boolean forEncryption, byte[] nonce12, byte[] aad) {
        // The key is only passed when loading it or when the direction changes.
        boolean reload = !keyLoaded || lastDirection == null || lastDirection != forEncryption;
        KeyParameter k = reload ? key : null;
        if (aad != null) {
            cipher.init(forEncryption, new AEADParameters(k, 128, nonce12, aad));
        } else {
            cipher.init(forEncryption, new ParametersWithIV(k, nonce12));
        }
        keyLoaded = true;
        lastDirection = forEncryption;
    }

    @Override
    public void sealWith(byte[] nonce12, byte[] aad, ByteBuffer buf) {
        init(true, nonce12, aad);
        process(buf, buf.remaining() + TAG_LENGTH);
    }

    @Override
    public boolean openWith(byte[] nonce12, byte[] aad, ByteBuffer buf) {
        init(false, nonce12, aad);
        return process(buf, buf.remaining());
    }

    /**
     * Runs the initialised cipher over {@code buf[position, limit)} into the thread's output
     * scratch, then copies the result back (only when it authenticated). BouncyCastle copies
     * its input when input and output overlap, so they never do here.
     */
    private boolean process(ByteBuffer buf, int outMax) {
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
        try {
            int n = cipher.processBytes(in, off, len, out, 0);
            n += cipher.doFinal(out, n);
            buf.limit(pos + n);
            buf.put(pos, out, 0, n);
            return true;
        } catch (InvalidCipherTextException e) {
            return false; // forged or corrupted: a normal, counted drop
        }
    }


    @Override
    public void destroy() {
        Arrays.fill(key.getKey(), (byte) 0);
        keyLoaded = false;
    }
}
