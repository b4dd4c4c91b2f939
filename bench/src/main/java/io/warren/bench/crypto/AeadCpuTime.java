package io.warren.bench.crypto;

import com.kenai.jffi.MemoryIO;
import io.warren.crypto.session.TransportAead;
import io.warren.crypto.session.TransportAeadFactory;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import jnr.ffi.LibraryLoader;
import jnr.ffi.annotations.IgnoreError;
import jnr.ffi.types.intptr_t;
import jnr.ffi.types.size_t;

/**
 * {@link TransportAeadBenchmark}'s seal and open (RFC 8439 §2.8 in place on a direct buffer) timed
 * in the measuring thread's own CPU time, for this shared, loaded machine where wall-clock JMH
 * scores swing by 2-3x; plus the bare cost of a jnr-ffi call (libc {@code labs} and a zero-length
 * {@code memcmp}), to set against {@code bench/src/main/c/aeadbench.c}, which times the same
 * OpenSSL call sequences natively. Prints CPU nanoseconds per operation, median and best of the
 * rounds. Run from the repository root, it also compiles {@code aeadbench.c} (gcc -O2, into a
 * temporary directory) and runs it before and after the Java rounds (A/B/A).
 *
 * <p>Usage: {@code java -cp <bench classpath> io.warren.bench.crypto.AeadCpuTime [rounds [size
 * [implementation ...]]]} (implementations: {@code OPENSSL}, {@code JDK}, {@code BOUNCY_CASTLE};
 * default {@code OPENSSL}).
 */
public final class AeadCpuTime {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final int RING = 64;
    private static final int OPS = 20_000;

    /** Two trivial libc functions: what a jnr-ffi call costs by itself. */
    public interface Libc {
        @IgnoreError
        long labs(long x);

        @IgnoreError
        int memcmp(@intptr_t long a, @intptr_t long b, @size_t long n);
    }

    private AeadCpuTime() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 1420;
        String[] impls = args.length > 2 ? Arrays.copyOfRange(args, 2, args.length) : new String[] {"OPENSSL"};
        System.out.println("java " + Runtime.version() + ", " + size + "-byte packets, CPU ns per operation");
        Path c = compileC();
        runC(c, size);
        callOverhead(rounds);
        for (String impl : impls) {
            measure(impl, size, rounds);
        }
        runC(c, size);
    }

    /** Compiles {@code aeadbench.c} when run from the repository root with gcc present, else null. */
    private static Path compileC() throws IOException, InterruptedException {
        Path source = Path.of("bench/src/main/c/aeadbench.c");
        if (!Files.isRegularFile(source)) {
            System.out.println("(no " + source + " here: native reference skipped)");
            return null;
        }
        Path dir = Files.createTempDirectory("warren-aeadbench-");
        Path binary = dir.resolve("aeadbench");
        Process gcc = new ProcessBuilder("gcc", "-O2", "-Wall", "-o", binary.toString(), source.toString(), "-lcrypto")
                .inheritIO().start();
        if (gcc.waitFor() != 0) {
            System.out.println("(gcc failed: native reference skipped)");
            return null;
        }
        binary.toFile().deleteOnExit();
        dir.toFile().deleteOnExit();
        return binary;
    }

    private static void runC(Path binary, int size) throws IOException, InterruptedException {
        if (binary != null) {
            System.out.println("native (aeadbench.c):");
            new ProcessBuilder(binary.toString(), Integer.toString(size), "2").inheritIO().start().waitFor();
        }
    }

    private static void callOverhead(int rounds) {
        Libc libc = LibraryLoader.create(Libc.class).failImmediately().load("c");
        ByteBuffer b = ByteBuffer.allocateDirect(16);
        long a = MemoryIO.getInstance().getDirectBufferAddress(b);
        double[] one = new double[rounds];
        double[] three = new double[rounds];
        double[] address = new double[rounds];
        MemoryIO memory = MemoryIO.getInstance();
        long sink = 0;
        for (int r = -3; r < rounds; r++) {
            long t0 = cpu();
            for (int i = 0; i < OPS * 10; i++) {
                sink += libc.labs(i);
            }
            long t1 = cpu();
            for (int i = 0; i < OPS * 10; i++) {
                sink += libc.memcmp(a, a + 8, 0);
            }
            long t2 = cpu();
            for (int i = 0; i < OPS * 10; i++) {
                sink += memory.getDirectBufferAddress(b);
            }
            long t3 = cpu();
            if (r >= 0) {
                one[r] = (t1 - t0) / (OPS * 10.0);
                three[r] = (t2 - t1) / (OPS * 10.0);
                address[r] = (t3 - t2) / (OPS * 10.0);
            }
        }
        print("jnr call, 1 arg (labs)", one);
        print("jnr call, 3 args (memcmp 0)", three);
        print("jffi getDirectBufferAddress", address);
        if (sink == 42) {
            System.out.println();
        }
    }

    private static void measure(String impl, int size, int rounds) {
        byte[] key = TransportAeadBenchmark.key();
        TransportAeadFactory factory = TransportAeadBenchmark.factory(impl);
        TransportAead sealer = factory.create(key);
        TransportAead opener = factory.create(key);
        ByteBuffer work = ByteBuffer.allocateDirect(size + TransportAead.TAG_LENGTH);
        ByteBuffer[] sealed = new ByteBuffer[RING];
        for (int i = 0; i < RING; i++) {
            work.clear().limit(size);
            for (int j = 0; j < size; j++) {
                work.put(j, (byte) (i + j));
            }
            sealer.seal(i, work);
            sealed[i] = ByteBuffer.allocateDirect(work.remaining()).put(work).flip();
        }
        double[] seal = new double[rounds];
        double[] open = new double[rounds];
        long counter = RING;
        int failures = 0;
        for (int r = -5; r < rounds; r++) {
            long t0 = cpu();
            for (int i = 0; i < OPS; i++) {
                work.clear().limit(size);
                sealer.seal(counter++, work);
            }
            long t1 = cpu();
            for (int i = 0; i < OPS; i++) {
                int k = i & (RING - 1);
                work.clear().put(sealed[k].duplicate()).flip();
                failures += opener.open(k, work) ? 0 : 1;
            }
            long t2 = cpu();
            if (r >= 0) {
                seal[r] = (t1 - t0) / (double) OPS;
                open[r] = (t2 - t1) / (double) OPS;
            }
        }
        if (failures != 0) {
            throw new IllegalStateException(failures + " opens failed");
        }
        print(impl + " seal", seal);
        print(impl + " open", open);
        sealer.destroy();
        opener.destroy();
    }

    private static long cpu() {
        return THREADS.getCurrentThreadCpuTime();
    }

    private static void print(String what, double[] ns) {
        double[] s = ns.clone();
        Arrays.sort(s);
        System.out.printf("%-30s median %7.1f  best %7.1f CPU-ns%n", what, s[s.length / 2], s[0]);
    }
}
