package io.warren.gateway.libcrypto;

import com.kenai.jffi.MemoryIO;
import io.warren.crypto.session.TransportAead;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;

/**
 * {@link TransportAead} over OpenSSL's EVP ChaCha20-Poly1305 (RFC 8439 §2.8), working in place on
 * the caller's direct buffer: one {@code EVP_CIPHER_CTX} per instance (one key, one
 * {@code Keypair} direction, used under the owning peer's serialisation like the Java
 * implementations), set up with the key once; each packet re-initialises only the nonce.
 *
 * <p>Seal, four calls: init(nonce), update(in place), final, ctrl(GET_TAG) writing the tag after
 * the ciphertext. Open: init(nonce), ctrl(SET_TAG), update(in place), final, which checks the tag.
 * A failed open re-applies the same keystream (ChaCha20 is an XOR, RFC 8439 §2.4) so the caller's
 * buffer is left as it was, as the other implementations guarantee. Cost (thread CPU time,
 * 1420 bytes, OpenSSL 3.0): each jnr-ffi call ~5 ns (numeric fast path) and the buffer address
 * ~20 ns (a JNI call), 4-8% over the same calls from C (bench aeadbench.c); fewer calls would not
 * pay: passing the tag with {@code EVP_DecryptInit_ex2} or reading it with
 * {@code EVP_CIPHER_CTX_get_params} measured no faster than the ctrl calls. No call allocates: the
 * nonce, key and output-length words live in one native block owned by the instance; heap
 * buffers (tests, rare control packets) bounce through a per-thread direct buffer.
 *
 * <p>{@link #destroy()} frees the context (OpenSSL wipes it) and wipes and frees the block; a
 * {@link Cleaner} does the same for an instance dropped without {@code destroy}.
 */
final class LibcryptoTransportAead extends TransportAead {
    private static final MemoryIO MEMORY = MemoryIO.getInstance();
    private static final Cleaner CLEANER = Cleaner.create();
    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    /** Native block layout: key, nonce, output-length word, a sink for the final call. */
    private static final int KEY = 0;
    private static final int NONCE = 32;
    private static final int OUTL = 48;
    private static final int SINK = 64;
    private static final int BLOCK = 96;
    private static final int NONE = 0;
    private static final int ENCRYPT = 1;
    private static final int DECRYPT = 2;
    private static final ThreadLocal<ByteBuffer[]> BOUNCE = ThreadLocal.withInitial(() -> new ByteBuffer[1]);

    private final LibCrypto lib;
    private final long cipher;
    private final long ctx;
    private final long block;
    private final Cleaner.Cleanable cleanable;
    /** The direction the context was last initialised for (the key is loaded on each change). */
    private int direction = NONE;
    private boolean destroyed;

    LibcryptoTransportAead(LibCrypto lib, long cipher, byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("ChaCha20-Poly1305 keys are 32 bytes");
        }
        this.lib = lib;
        this.cipher = cipher;
        long c = lib.EVP_CIPHER_CTX_new();
        if (c == 0) {
            throw new IllegalStateException("EVP_CIPHER_CTX_new failed");
        }
        long b = MEMORY.allocateMemory(BLOCK, true);
        if (b == 0) {
            lib.EVP_CIPHER_CTX_free(c);
            throw new IllegalStateException("out of native memory");
        }
        this.ctx = c;
        this.block = b;
        MEMORY.putByteArray(block + KEY, key, 0, key.length);
        this.cleanable = CLEANER.register(this, new Release(lib, c, b));
    }

    /** Frees the context and wipes and frees the native block, once. */
    private record Release(LibCrypto lib, long ctx, long block) implements Runnable {
        @Override
        public void run() {
            lib.EVP_CIPHER_CTX_free(ctx);
            MEMORY.setMemory(block, BLOCK, (byte) 0);
            MEMORY.freeMemory(block);
        }
    }

    @Override
    public String implementationName() {
        return "openssl";
    }

    @Override
    public void seal(long counter, ByteBuffer buf) {
        putCounterNonce(counter);
        seal(buf, 0, 0);
    }

    @Override
    public boolean open(long counter, ByteBuffer buf) {
        if (buf.remaining() < TAG_LENGTH) {
            return false;
        }
        putCounterNonce(counter);
        return open(buf, 0, 0);
    }

    @Override
    public void sealWith(byte[] nonce12, byte[] aad, ByteBuffer buf) {
        MEMORY.putByteArray(block + NONCE, nonce12, 0, NONCE_LENGTH);
        withAad(aad, (address, length) -> {
            seal(buf, address, length);
            return true;
        });
    }

    @Override
    public boolean openWith(byte[] nonce12, byte[] aad, ByteBuffer buf) {
        if (buf.remaining() < TAG_LENGTH) {
            return false;
        }
        MEMORY.putByteArray(block + NONCE, nonce12, 0, NONCE_LENGTH);
        return withAad(aad, (address, length) -> open(buf, address, length));
    }

    @Override
    public void destroy() {
        destroyed = true;
        cleanable.clean();
    }

    /** The WireGuard nonce: 32 zero bits, then the counter little-endian (whitepaper §5.4.6). */
    private void putCounterNonce(long counter) {
        MEMORY.putInt(block + NONCE, 0);
        MEMORY.putLong(block + NONCE + 4, LITTLE_ENDIAN ? counter : Long.reverseBytes(counter));
    }

    private void seal(ByteBuffer buf, long aad, int aadLength) {
        int pos = buf.position();
        int len = buf.remaining();
        if (buf.capacity() - buf.limit() < TAG_LENGTH) {
            throw new IllegalArgumentException("no room for the tag after the plaintext");
        }
        long at = address(buf, len + TAG_LENGTH);
        init(ENCRYPT);
        boolean ok = aadLength == 0 || lib.EVP_EncryptUpdate(ctx, 0, block + OUTL, aad, aadLength) == 1;
        ok &= len == 0 || lib.EVP_EncryptUpdate(ctx, at, block + OUTL, at, len) == 1;
        ok &= lib.EVP_EncryptFinal_ex(ctx, block + SINK, block + OUTL) == 1;
        ok &= lib.EVP_CIPHER_CTX_ctrl(ctx, LibCrypto.EVP_CTRL_AEAD_GET_TAG, TAG_LENGTH, at + len) == 1;
        if (!ok) {
            lib.ERR_clear_error();
            direction = NONE;
            throw new IllegalStateException("OpenSSL ChaCha20-Poly1305 encryption failed");
        }
        buf.limit(pos + len + TAG_LENGTH);
        if (!buf.isDirect()) {
            unbounce(buf, pos, len + TAG_LENGTH);
        }
    }

    private boolean open(ByteBuffer buf, long aad, int aadLength) {
        int pos = buf.position();
        int len = buf.remaining() - TAG_LENGTH;
        long at = address(buf, len + TAG_LENGTH);
        init(DECRYPT);
        boolean ok = lib.EVP_CIPHER_CTX_ctrl(ctx, LibCrypto.EVP_CTRL_AEAD_SET_TAG, TAG_LENGTH, at + len) == 1;
        ok &= aadLength == 0 || lib.EVP_DecryptUpdate(ctx, 0, block + OUTL, aad, aadLength) == 1;
        ok &= len == 0 || lib.EVP_DecryptUpdate(ctx, at, block + OUTL, at, len) == 1;
        ok &= lib.EVP_DecryptFinal_ex(ctx, block + SINK, block + OUTL) == 1;
        if (!ok) {
            lib.ERR_clear_error();
            if (buf.isDirect() && len > 0) {
                restore(at, len);
            }
            return false; // forged or corrupted: a normal, counted drop
        }
        buf.limit(pos + len);
        if (!buf.isDirect()) {
            unbounce(buf, pos, len);
        }
        return true;
    }

    /** Undoes a failed in-place decryption: the same keystream XORed again gives the ciphertext back. */
    private void restore(long at, int len) {
        init(ENCRYPT);
        boolean ok = lib.EVP_EncryptUpdate(ctx, at, block + OUTL, at, len) == 1;
        direction = NONE; // the context is mid-message; the next call starts afresh
        if (!ok) {
            lib.ERR_clear_error();
            throw new IllegalStateException("OpenSSL ChaCha20-Poly1305 could not restore a forged packet");
        }
    }

    /** Sets the nonce for the next message; the key (and cipher) only when the direction changes. */
    private void init(int want) {
        if (destroyed) {
            throw new IllegalStateException("ChaCha20-Poly1305 key used after destroy");
        }
        boolean reload = direction != want;
        long c = reload ? cipher : 0;
        long k = reload ? block + KEY : 0;
        int r = want == ENCRYPT
                ? lib.EVP_EncryptInit_ex(ctx, c, 0, k, block + NONCE)
                : lib.EVP_DecryptInit_ex(ctx, c, 0, k, block + NONCE);
        if (r != 1) {
            lib.ERR_clear_error();
            direction = NONE;
            throw new IllegalStateException("OpenSSL ChaCha20-Poly1305 init failed");
        }
        direction = want;
    }

    /**
     * The native address of {@code buf[position]}: the buffer's own memory when direct, else the
     * thread's bounce buffer (at least {@code span} bytes) holding a copy of the remaining bytes.
     */
    private static long address(ByteBuffer buf, int span) {
        if (buf.isReadOnly()) {
            throw new ReadOnlyBufferException();
        }
        if (buf.isDirect()) {
            return MEMORY.getDirectBufferAddress(buf) + buf.position();
        }
        ByteBuffer bounce = bounce(span);
        bounce.put(0, buf, buf.position(), buf.remaining());
        return MEMORY.getDirectBufferAddress(bounce);
    }

    private static void unbounce(ByteBuffer buf, int pos, int len) {
        buf.put(pos, bounce(len), 0, len);
    }

    private static ByteBuffer bounce(int needed) {
        ByteBuffer[] holder = BOUNCE.get();
        ByteBuffer b = holder[0];
        if (b == null || b.capacity() < needed) {
            b = ByteBuffer.allocateDirect(Math.max(needed, 2048));
            holder[0] = b;
        }
        return b;
    }

    private interface AadAction {
        boolean run(long address, int length);
    }

    /** Runs {@code action} with {@code aad} copied to native memory (test vectors only). */
    private static boolean withAad(byte[] aad, AadAction action) {
        if (aad == null || aad.length == 0) {
            return action.run(0, 0);
        }
        long a = MEMORY.allocateMemory(aad.length, false);
        try {
            MEMORY.putByteArray(a, aad, 0, aad.length);
            return action.run(a, aad.length);
        } finally {
            MEMORY.freeMemory(a);
        }
    }
}
