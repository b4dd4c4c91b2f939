package io.warren.gateway.libcrypto;

import io.warren.crypto.primitives.Rfc8439Vector;
import io.warren.crypto.session.TransportAead;
import io.warren.crypto.session.TransportAeadFactory;
import java.nio.ByteBuffer;
import java.util.Optional;
import jnr.ffi.LibraryLoader;

/**
 * OpenSSL's libcrypto as a {@link TransportAeadFactory}: loads the library once per JVM (Debian:
 * {@code libcrypto.so.3} from libssl3), finds {@code EVP_chacha20_poly1305} and checks it
 * against the RFC 8439 §2.8.2 test vector before anything uses it. Absent or broken, it is
 * simply not offered ({@link #load} is empty) and the Java implementations are used.
 */
public final class LibcryptoAead implements TransportAeadFactory {
    /** Library names tried in order: the runtime soname first (no -dev package needed). */
    static final String[] LIBRARY_NAMES = {"libcrypto.so.3", "libcrypto.so.1.1", "crypto"};

    /** The outcome of loading, once per JVM: the factory, or why there is none. */
    private record Loaded(LibcryptoAead aead, String failure) {}

    private static final class Holder {
        static final Loaded LOADED = tryLoad();
    }

    private final LibCrypto lib;
    private final long cipher;
    /** OpenSSL's version as {@code 0xMNN00PP0L} ({@code OpenSSL_version_num}), e.g. 0x30000130 for 3.0.19. */
    private final long version;

    private LibcryptoAead(LibCrypto lib, long cipher, long version) {
        this.lib = lib;
        this.cipher = cipher;
        this.version = version;
    }

    /** The loaded and self-tested library, or empty when it is missing or fails the vector. */
    public static Optional<LibcryptoAead> load() {
        return Optional.ofNullable(Holder.LOADED.aead());
    }

    /** Why {@link #load} is empty (for the startup log), or null. */
    public static String unavailableReason() {
        return Holder.LOADED.failure();
    }

    private static Loaded tryLoad() {
        LibCrypto lib;
        try {
            lib = LibraryLoader.create(LibCrypto.class).failImmediately().load(LIBRARY_NAMES[0]);
        } catch (LinkageError | RuntimeException first) {
            lib = null;
            for (int i = 1; i < LIBRARY_NAMES.length && lib == null; i++) {
                try {
                    lib = LibraryLoader.create(LibCrypto.class).failImmediately().load(LIBRARY_NAMES[i]);
                } catch (LinkageError | RuntimeException e) {
                    lib = null;
                }
            }
            if (lib == null) {
                return new Loaded(null, "libcrypto not found: " + first.getMessage());
            }
        }
        try {
            long cipher = lib.EVP_chacha20_poly1305();
            if (cipher == 0) {
                return new Loaded(null, "libcrypto has no ChaCha20-Poly1305");
            }
            LibcryptoAead candidate = new LibcryptoAead(lib, cipher, lib.OpenSSL_version_num());
            if (!candidate.passesSelfTest()) {
                return new Loaded(null, "libcrypto ChaCha20-Poly1305 failed the RFC 8439 §2.8.2 vector");
            }
            return new Loaded(candidate, null);
        } catch (LinkageError | RuntimeException e) {
            return new Loaded(null, "libcrypto unusable: " + e);
        }
    }

    @Override
    public TransportAead create(byte[] key) {
        return new LibcryptoTransportAead(lib, cipher, key);
    }

    @Override
    public String toString() {
        return "OpenSSL libcrypto " + ((version >>> 28) & 0xf) + "." + ((version >>> 20) & 0xff) + "."
                + ((version >>> 4) & 0xff);
    }

    /** RFC 8439 §2.8.2: seal, compare, open, and a flipped tag bit must fail. */
    private boolean passesSelfTest() {
        byte[] key = Rfc8439Vector.key();
        byte[] nonce = Rfc8439Vector.nonce();
        byte[] aad = Rfc8439Vector.aad();
        byte[] plaintext = Rfc8439Vector.plaintext();
        byte[] expected = Rfc8439Vector.ciphertextAndTag();
        TransportAead aead = create(key);
        try {
            ByteBuffer buf = ByteBuffer.allocateDirect(plaintext.length + TransportAead.TAG_LENGTH);
            buf.put(plaintext).flip();
            aead.sealWith(nonce, aad, buf);
            byte[] sealed = new byte[buf.remaining()];
            buf.duplicate().get(sealed);
            if (!java.util.Arrays.equals(sealed, expected)) {
                return false;
            }
            buf.put(buf.limit() - 1, (byte) (sealed[sealed.length - 1] ^ 1));
            if (aead.openWith(nonce, aad, buf.duplicate())) {
                return false;
            }
            buf.put(buf.limit() - 1, sealed[sealed.length - 1]);
            if (!aead.openWith(nonce, aad, buf)) {
                return false;
            }
            byte[] opened = new byte[buf.remaining()];
            buf.get(opened);
            return java.util.Arrays.equals(opened, plaintext);
        } finally {
            aead.destroy();
        }
    }
}
