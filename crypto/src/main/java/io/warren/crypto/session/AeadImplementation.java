package io.warren.crypto.session;

/**
 * The ChaCha20-Poly1305 providers a {@link TransportAead} can use, and the rule that picks one.
 *
 * <p>Rule: the JDK cipher from feature release 20 (ChaCha20 and Poly1305 intrinsics; Temurin 25
 * runs it ~4x faster than BouncyCastle on 1420-byte packets, shared/java-stack.md), BouncyCastle
 * before. On JDK 17 both move 1420-byte packets at the same rate; the JDK cipher is faster on
 * 64-byte packets but its per-nonce {@code Cipher.init} allocates ~3.8 KB per seal+open against
 * ~0.56 KB for BouncyCastle (TransportAeadTest, TransportAeadBenchmark), so BouncyCastle keeps
 * the GC quieter. A shell may inject a faster one (OpenSSL's libcrypto) through
 * {@link TransportAeadFactory}.
 */
public enum AeadImplementation implements TransportAeadFactory {
    /** {@code javax.crypto.Cipher.getInstance("ChaCha20-Poly1305")} (SunJCE). */
    JDK,
    /** {@code org.bouncycastle.crypto.modes.ChaCha20Poly1305}, re-initialised with a null key. */
    BOUNCY_CASTLE;

    /** System property that overrides the rule: {@code jdk} or {@code bouncy_castle}. */
    public static final String OVERRIDE_PROPERTY = "warren.aead";
    /** First JDK feature release with ChaCha20 and Poly1305 intrinsics (JDK-8247645, JDK-8252204). */
    static final int FIRST_JDK_WITH_INTRINSICS = 20;

    /** The rule: the JDK cipher when it has intrinsics (feature release 20+), else BouncyCastle. */
    public static AeadImplementation preferred() {
        String override = System.getProperty(OVERRIDE_PROPERTY);
        if (override != null) {
            for (AeadImplementation candidate : values()) {
                if (candidate.name().equalsIgnoreCase(override)) {
                    return candidate;
                }
            }
        }
        return forFeatureRelease(Runtime.version().feature());
    }

    @Override
    public TransportAead create(byte[] key) {
        return TransportAead.create(this, key);
    }

    /** The rule applied to a given JDK feature release. */
    static AeadImplementation forFeatureRelease(int feature) {
        return feature >= FIRST_JDK_WITH_INTRINSICS ? JDK : BOUNCY_CASTLE;
    }
}
