package io.warren.gateway.libcrypto;

import io.warren.crypto.session.AeadImplementation;
import io.warren.crypto.session.TransportAeadFactory;
import java.util.Locale;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Which ChaCha20-Poly1305 the daemon's keypairs use, decided once per JVM.
 *
 * <p>Rule: OpenSSL's libcrypto whenever it loads and passes its self-test, else the Java rule
 * ({@link AeadImplementation#preferred()}: the JDK cipher on JDK 20+, BouncyCastle before).
 * Measured in thread CPU time (bench AeadCpuTime, 1420-byte packets, Zen 4; wall-clock JMH
 * swings 2-3x on the shared box): libcrypto ~1.0 us per seal or open on both JDK 17 and
 * Temurin 25, within 4-8% of the same OpenSSL calls made from C (aeadbench.c: 0.95 / 1.0 us, of
 * which ~0.7 us is the keystream and MAC and ~0.25 us OpenSSL's per-packet init, final and tag);
 * BouncyCastle 5.4-6.9 us; the JDK cipher 6.0 us on JDK 17, 1.4-1.6 us on Temurin 25 (intrinsics).
 * The system property {@code warren.aead} ({@code openssl}, {@code jdk} or
 * {@code bouncy_castle}) overrides the rule; asking for
 * {@code openssl} where it cannot load falls back to the Java rule.
 */
public final class TransportAeadChoice {
    /** The override property (shared with {@link AeadImplementation#OVERRIDE_PROPERTY}). */
    public static final String PROPERTY = AeadImplementation.OVERRIDE_PROPERTY;
    /** The property value that names libcrypto. */
    public static final String OPENSSL = "openssl";
    private static final Logger LOG = Logger.getLogger(TransportAeadChoice.class.getName());

    private TransportAeadChoice() {
    }

    private static final class Holder {
        static final TransportAeadFactory CHOSEN = chooseAndLog();
    }

    /** The implementation for this JVM (chosen and logged on first use). */
    public static TransportAeadFactory forThisJvm() {
        return Holder.CHOSEN;
    }

    private static TransportAeadFactory chooseAndLog() {
        String override = System.getProperty(PROPERTY);
        boolean wantsJava = override != null && !override.equalsIgnoreCase(OPENSSL);
        Optional<LibcryptoAead> openssl = wantsJava ? Optional.empty() : LibcryptoAead.load();
        TransportAeadFactory chosen = choose(override, openssl, AeadImplementation.preferred());
        if (chosen instanceof LibcryptoAead l) {
            LOG.info("ChaCha20-Poly1305: " + l + " (jnr-ffi)");
        } else if (wantsJava) {
            LOG.info("ChaCha20-Poly1305: " + chosen + " (" + PROPERTY + "=" + override + ")");
        } else {
            LOG.info("ChaCha20-Poly1305: " + chosen + " (" + LibcryptoAead.unavailableReason() + ")");
        }
        return chosen;
    }

    /** The rule, given the override, the loaded library (if any) and the Java rule's choice. */
    static TransportAeadFactory choose(String override, Optional<LibcryptoAead> openssl, AeadImplementation java) {
        if (override != null) {
            String o = override.toLowerCase(Locale.ROOT);
            for (AeadImplementation candidate : AeadImplementation.values()) {
                if (candidate.name().toLowerCase(Locale.ROOT).equals(o)) {
                    return candidate;
                }
            }
        }
        return openssl.<TransportAeadFactory>map(l -> l).orElse(java);
    }
}
