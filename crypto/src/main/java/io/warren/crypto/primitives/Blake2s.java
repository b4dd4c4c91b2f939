package io.warren.crypto.primitives;

import org.bouncycastle.crypto.digests.Blake2sDigest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * BLAKE2s (RFC 7693) as the WireGuard whitepaper §5.4 uses it, on BouncyCastle's {@link Blake2sDigest}:
 * <ul>
 *   <li>{@code HASH(input) = BLAKE2s(input, 32)}: {@link #hash(byte[]...)};</li>
 *   <li>{@code MAC(key, input) = Keyed-BLAKE2s(key, input, 16)}: {@link #mac(byte[], byte[]...)};</li>
 *   <li>{@code HMAC(key, input) = HMAC-BLAKE2s(key, input, 32)} (RFC 2104 over BLAKE2s-256, block 64):
 *       {@link #hmac(byte[], byte[]...)}.</li>
 * </ul>
 */
public final class Blake2s {
    /** Output of HASH and HMAC, bytes. */
    public static final int HASH_LEN = 32;
    /** Output of the keyed MAC (mac1, mac2, cookies), bytes. */
    public static final int MAC_LEN = 16;

    private Blake2s() {
    }

    /** {@code HASH(p0 || p1 || ...)}: unkeyed BLAKE2s-256. */
    public static byte[] hash(byte[]... parts) {
        Blake2sDigest d = new Blake2sDigest(HASH_LEN * 8);
        for (byte[] p : parts) {
            d.update(p, 0, p.length);
        }
        byte[] out = new byte[HASH_LEN];
        d.doFinal(out, 0);
        return out;
    }

    /** {@code MAC(key, p0 || p1 || ...)}: keyed BLAKE2s with a 16-byte output; key is 1..32 bytes. */
    public static byte[] mac(byte[] key, byte[]... parts) {
        Blake2sDigest d = new Blake2sDigest(key, MAC_LEN, null, null);
        for (byte[] p : parts) {
            d.update(p, 0, p.length);
        }
        byte[] out = new byte[MAC_LEN];
        d.doFinal(out, 0);
        return out;
    }

    /** {@code MAC(key, data[off..off+len))} written to {@code out[outOff..outOff+16)}. */
    public static void mac(byte[] key, byte[] data, int off, int len, byte[] out, int outOff) {
        Blake2sDigest d = new Blake2sDigest(key, MAC_LEN, null, null);
        d.update(data, off, len);
        d.doFinal(out, outOff);
    }

    /** {@code HMAC(key, p0 || p1 || ...)} with BLAKE2s-256 as the hash (RFC 2104). */
    public static byte[] hmac(byte[] key, byte[]... parts) {
        HMac h = new HMac(new Blake2sDigest(HASH_LEN * 8));
        h.init(new KeyParameter(key));
        for (byte[] p : parts) {
            h.update(p, 0, p.length);
        }
        byte[] out = new byte[HASH_LEN];
        h.doFinal(out, 0);
        return out;
    }
}
