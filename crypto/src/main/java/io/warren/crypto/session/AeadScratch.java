package io.warren.crypto.session;

/**
 * Per-thread input and output arrays for the {@code byte[]} APIs of the cipher providers, grown
 * to the largest packet seen on the thread. Keeping input and output apart stops the providers
 * from copying overlapping regions into fresh arrays. Plaintext may remain here until the
 * thread's next packet overwrites it.
 */
final class AeadScratch {
    private static final ThreadLocal<AeadScratch> SCRATCH = ThreadLocal.withInitial(AeadScratch::new);

    private byte[] in = new byte[2048];
    private byte[] out = new byte[2048];

    static AeadScratch get() {
        return SCRATCH.get();
    }

    byte[] in(int needed) {
        if (in.length < needed) {
            in = new byte[Math.max(needed, in.length * 2)];
        }
        return in;
    }

    byte[] out(int needed) {
        if (out.length < needed) {
            out = new byte[Math.max(needed, out.length * 2)];
        }
        return out;
    }
}
