package io.warren.crypto.noise;

import java.security.SecureRandom;

/**
 * A deterministic {@link SecureRandom} for tests: bytes from a counter-seeded xorshift, or a scripted
 * sequence of ints for index collision tests. Never use outside tests.
 */
final class ScriptedRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private long state;
    private final int[] ints;
    private int next;

    ScriptedRandom(long seed) {
        this.state = seed == 0 ? 0x9e3779b97f4a7c15L : seed;
        this.ints = null;
    }

    ScriptedRandom(int... ints) {
        this.state = 1;
        this.ints = ints;
    }

    @Override
    public void nextBytes(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            state ^= state << 13;
            state ^= state >>> 7;
            state ^= state << 17;
            bytes[i] = (byte) state;
        }
    }

    @Override
    public int nextInt() {
        if (ints != null && next < ints.length) {
            return ints[next++];
        }
        return super.nextInt();
    }
}
