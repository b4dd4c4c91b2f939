package io.warren.bench.tun;

import io.warren.tun.LinuxTun;
import io.warren.tun.LinuxTunDevice;
import io.warren.tun.TunOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The Java side of {@link TunBench}, run inside the benchmark namespace: the same loop as
 * {@code tunbench.c} (create TUN, print "ready NAME", wait for a line on stdin, warm up, measure,
 * print "RESULT packets=N seconds=S cpu=C", C being this thread's CPU seconds). Modes: {@code read} (one {@code read()} per packet),
 * {@code readbatch} ({@code readBatch} of 64 buffers), {@code write} (a 64-byte IPv4/UDP packet
 * 10.77.0.2:1234 -> 10.77.0.1:9 written in a loop).
 */
public final class TunBenchWorker {
    private static final int BATCH = 64;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private TunBenchWorker() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            System.err.println("usage: TunBenchWorker read|readbatch|write IFNAME WARMUP_S SECONDS");
            System.exit(2);
        }
        String mode = args[0];
        long warmupNanos = (long) (Double.parseDouble(args[2]) * 1e9);
        long measureNanos = (long) (Double.parseDouble(args[3]) * 1e9);
        try (LinuxTunDevice dev = LinuxTun.open(TunOptions.builder().name(args[1]).build())) {
            System.out.println("ready " + dev.name());
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII)).readLine();
            Result r = switch (mode) {
                case "read" -> read(dev, warmupNanos, measureNanos);
                case "readbatch" -> readBatch(dev, warmupNanos, measureNanos);
                case "write" -> write(dev, warmupNanos, measureNanos);
                default -> throw new IllegalArgumentException("unknown mode " + mode);
            };
            System.out.printf("RESULT packets=%d seconds=%.3f cpu=%.3f%n", r.packets, r.nanos / 1e9, r.cpuNanos / 1e9);
        }
    }

    private record Result(long packets, long nanos, long cpuNanos) {
    }

    /** Tracks the warm-up and measuring windows; checked every 1024 packets like the C loop. */
    private static final class Window {
        private final long measureNanos;
        private long from;
        private long end;
        private long base = -1;
        private long cpuFrom;

        Window(long warmupNanos, long measureNanos) {
            this.measureNanos = measureNanos;
            this.from = System.nanoTime() + warmupNanos;
        }

        /** Null while running, the result once the measuring window has ended. */
        Result check(long count) {
            long t = System.nanoTime();
            if (base < 0 && t >= from) {
                base = count;
                from = t;
                end = t + measureNanos;
                cpuFrom = THREADS.getCurrentThreadCpuTime();
            }
            return base >= 0 && t >= end
                    ? new Result(count - base, t - from, THREADS.getCurrentThreadCpuTime() - cpuFrom) : null;
        }
    }

    private static Result read(LinuxTunDevice dev, long warmupNanos, long measureNanos) throws IOException {
        ByteBuffer buf = ByteBuffer.allocateDirect(2048);
        Window w = new Window(warmupNanos, measureNanos);
        for (long count = 1; ; count++) {
            buf.clear();
            dev.read(buf);
            if ((count & 1023) == 0) {
                Result r = w.check(count);
                if (r != null) {
                    return r;
                }
            }
        }
    }

    private static Result readBatch(LinuxTunDevice dev, long warmupNanos, long measureNanos) throws IOException {
        ByteBuffer[] bufs = new ByteBuffer[BATCH];
        for (int i = 0; i < BATCH; i++) {
            bufs[i] = ByteBuffer.allocateDirect(2048);
        }
        Window w = new Window(warmupNanos, measureNanos);
        long count = 0;
        long nextCheck = 1024;
        for (;;) {
            int n = dev.readBatch(bufs);
            for (int i = 0; i < n; i++) {
                bufs[i].clear();
            }
            count += n;
            if (count >= nextCheck) {
                nextCheck = count + 1024;
                Result r = w.check(count);
                if (r != null) {
                    return r;
                }
            }
        }
    }

    private static Result write(LinuxTunDevice dev, long warmupNanos, long measureNanos) throws IOException {
        ByteBuffer pkt = ByteBuffer.allocateDirect(64);
        byte[] header = {0x45, 0, 0, 64, 0, 1, 0x40, 0, 64, 17, 0, 0, 10, 77, 0, 2, 10, 77, 0, 1,
            0x04, (byte) 0xd2, 0, 9, 0, 44, 0, 0};
        while (pkt.hasRemaining()) {
            pkt.put((byte) 'w');
        }
        pkt.put(0, header);
        int sum = 0;
        for (int i = 0; i < 20; i += 2) {
            sum += ((pkt.get(i) & 0xff) << 8) | (pkt.get(i + 1) & 0xff);
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        pkt.putShort(10, (short) ~sum);
        Window w = new Window(warmupNanos, measureNanos);
        for (long count = 1; ; count++) {
            pkt.clear();
            dev.write(pkt);
            if ((count & 1023) == 0) {
                Result r = w.check(count);
                if (r != null) {
                    return r;
                }
            }
        }
    }
}
