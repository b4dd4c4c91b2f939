package io.warren.bench.crypto;

import io.warren.crypto.session.AeadImplementation;
import io.warren.crypto.session.TransportAead;
import io.warren.crypto.session.TransportAeadFactory;
import io.warren.gateway.libcrypto.LibcryptoAead;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * ChaCha20-Poly1305 seal and open in place on a direct buffer, as the data path does (RFC 8439
 * §2.8, WireGuard whitepaper §5.4.6). Open uses a ring of pre-sealed packets with distinct
 * counters, copied into the work buffer each call (a 1420-byte copy is ~1% of the open).
 * {@code OPENSSL} is libcrypto through jnr-ffi ({@link LibcryptoAead}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TransportAeadBenchmark {
    private static final int RING = 64;

    @Param({"BOUNCY_CASTLE", "JDK", "OPENSSL"})
    public String implementation;

    @Param({"64", "1420"})
    public int size;

    private TransportAead sealer;
    private TransportAead opener;
    private ByteBuffer work;
    private final byte[][] sealed = new byte[RING][];
    private long counter;
    private int next;

    /** The benchmarks' fixed key (0x40, 0x41, ...). */
    static byte[] key() {
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (0x40 + i);
        }
        return key;
    }

    /** {@code OPENSSL} (libcrypto, which must load) or an {@link AeadImplementation} name. */
    static TransportAeadFactory factory(String implementation) {
        return implementation.equals("OPENSSL")
                ? LibcryptoAead.load().orElseThrow(() -> new IllegalStateException(LibcryptoAead.unavailableReason()))
                : AeadImplementation.valueOf(implementation);
    }

    @Setup
    public void setUp() {
        byte[] key = key();
        TransportAeadFactory factory = factory(implementation);
        sealer = factory.create(key);
        opener = factory.create(key);
        TransportAead ringSealer = factory.create(key);
        work = ByteBuffer.allocateDirect(size + TransportAead.TAG_LENGTH);
        for (int i = 0; i < RING; i++) {
            work.clear().limit(size);
            for (int j = 0; j < size; j++) {
                work.put(j, (byte) (i + j));
            }
            ringSealer.seal(i, work);
            sealed[i] = new byte[work.remaining()];
            work.get(0, sealed[i]);
        }
    }

    @Benchmark
    public int seal() {
        work.clear().limit(size);
        sealer.seal(counter++, work);
        return work.limit();
    }

    @Benchmark
    public boolean open() {
        int i = next;
        next = (i + 1) & (RING - 1);
        work.clear().put(0, sealed[i]).limit(sealed[i].length);
        return opener.open(i, work);
    }
}
