package io.warren.bench.tun;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TUN packets/s from Java and from C, one method for both (root; not a test).
 *
 * <p>Method, in a namespace this harness creates ({@code warren-tunbench-PID}) and deletes:
 * <ul>
 *   <li>read: a worker pinned to CPU 0 creates TUN {@code wb0} (10.77.0.1/24, txqueuelen 500) and
 *       reads; {@code tunbench blast} pinned to CPU 1 sends 36-byte UDP payloads (64-byte IP packets)
 *       to 10.77.0.2 with {@code sendmmsg}, which the kernel routes into the TUN. The rate is
 *       packets the worker read per second after a warm-up.</li>
 *   <li>write: the worker writes one 64-byte IPv4/UDP packet to 10.77.0.1:9 in a loop; the kernel
 *       takes each through IP input to UDP, where it is counted as {@code NoPorts} (reported, as a
 *       check that the packets were really processed).</li>
 * </ul>
 * Two figures per measurement: packets per wall-clock second, and packets per CPU-second of the
 * worker's I/O thread (its own user+system time, so less sensitive to other load on the machine).
 * Workers: {@code c} ({@code tunbench.c}, gcc -O2 at run time), {@code java}
 * ({@link TunBenchWorker}, one {@code read()} per packet) and {@code java-batch}
 * ({@code readBatch} of 64).
 *
 * <p>Usage: {@code TunBench [--seconds 5] [--warmup 2] [--runs 3] [--c-source PATH]}.
 */
public final class TunBench {
    private static final Pattern RESULT = Pattern.compile("RESULT packets=(\\d+) seconds=([0-9.]+)(?: cpu=([0-9.]+))?");
    private static final String DEV = "wb0";

    private final String ns = "warren-tunbench-" + ProcessHandle.current().pid();
    private final double seconds;
    private final double warmup;
    private Path cBinary;

    private TunBench(double seconds, double warmup) {
        this.seconds = seconds;
        this.warmup = warmup;
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        double seconds = 5;
        double warmup = 2;
        int runs = 3;
        Path cSource = Path.of("bench/src/main/c/tunbench.c");
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--seconds" -> seconds = Double.parseDouble(args[i + 1]);
                case "--warmup" -> warmup = Double.parseDouble(args[i + 1]);
                case "--runs" -> runs = Integer.parseInt(args[i + 1]);
                case "--c-source" -> cSource = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        new TunBench(seconds, warmup).run(runs, cSource);
    }

    private void run(int runs, Path cSource) throws IOException, InterruptedException {
        Path tmp = Files.createTempDirectory("warren-tunbench-");
        try {
            cBinary = tmp.resolve("tunbench");
            check(List.of("gcc", "-O2", "-Wall", "-o", cBinary.toString(), cSource.toString()));
            check(List.of("ip", "netns", "add", ns));
            try {
                check(List.of("ip", "-n", ns, "link", "set", "lo", "up"));
                System.out.printf("# %s, %.1f s per measurement after %.1f s warm-up, 64-byte IPv4 packets%n",
                        System.getProperty("java.vm.name") + " " + System.getProperty("java.version"), seconds, warmup);
                for (int run = 1; run <= runs; run++) {
                    for (String worker : List.of("c", "java", "java-batch")) {
                        measure(run, worker, "read");
                    }
                    for (String worker : List.of("c", "java")) {
                        measure(run, worker, "write");
                    }
                }
            } finally {
                check(List.of("ip", "netns", "del", ns));
            }
        } finally {
            Files.deleteIfExists(cBinary);
            Files.deleteIfExists(tmp);
        }
    }

    private void measure(int run, String worker, String direction) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, "taskset", "-c", "0"));
        String w = Double.toString(warmup);
        String s = Double.toString(seconds);
        if (worker.equals("c")) {
            cmd.addAll(List.of(cBinary.toString(), direction, DEV, w, s));
        } else {
            String java = ProcessHandle.current().info().command().orElse("java");
            String mode = worker.equals("java-batch") ? "readbatch" : direction;
            cmd.addAll(List.of(java, "-cp", System.getProperty("java.class.path"),
                    TunBenchWorker.class.getName(), mode, DEV, w, s));
        }
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Process blaster = null;
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
            String ready = out.readLine();
            if (ready == null || !ready.startsWith("ready ")) {
                throw new IOException(worker + " " + direction + " worker did not start: " + ready);
            }
            check(List.of("ip", "-n", ns, "addr", "add", "10.77.0.1/24", "dev", DEV));
            check(List.of("ip", "-n", ns, "link", "set", DEV, "up"));
            long noPortsBefore = udpNoPorts();
            if (direction.equals("read")) {
                blaster = new ProcessBuilder("ip", "netns", "exec", ns, "taskset", "-c", "1", cBinary.toString(),
                        "blast", "10.77.0.2", "9", "36", Double.toString(warmup + seconds + 3))
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            }
            try (Writer in = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.US_ASCII)) {
                in.write("go\n");
            }
            String line;
            Matcher m = null;
            while ((line = out.readLine()) != null) {
                Matcher candidate = RESULT.matcher(line);
                if (candidate.matches()) {
                    m = candidate;
                }
            }
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0 || m == null) {
                throw new IOException(worker + " " + direction + " worker failed");
            }
            long packets = Long.parseLong(m.group(1));
            double pps = packets / Double.parseDouble(m.group(2));
            double perCpuSecond = packets / Double.parseDouble(m.group(3));
            String extra = "";
            if (blaster != null) {
                String sent = new String(blaster.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                Matcher b = RESULT.matcher(sent.trim());
                if (b.matches()) {
                    extra = String.format("  (sender %.0f kpps)", Long.parseLong(b.group(1))
                            / Double.parseDouble(b.group(2)) / 1e3);
                }
            } else {
                extra = String.format("  (kernel UDP NoPorts +%d)", udpNoPorts() - noPortsBefore);
            }
            System.out.printf("run %d  %-5s %-10s %8.0f kpps wall %8.0f kpps per CPU-second (%5.0f ns/packet)%s%n",
                    run, direction, worker, pps / 1e3, perCpuSecond / 1e3, 1e9 / perCpuSecond, extra);
        } finally {
            p.destroy();
            if (blaster != null) {
                blaster.destroy();
                blaster.waitFor(10, TimeUnit.SECONDS);
            }
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** {@code Udp: NoPorts} of the namespace, from its {@code /proc/net/snmp}. */
    private long udpNoPorts() throws IOException, InterruptedException {
        String snmp = check(List.of("ip", "netns", "exec", ns, "cat", "/proc/net/snmp"));
        String[] header = null;
        for (String line : snmp.split("\n")) {
            if (line.startsWith("Udp: ")) {
                String[] cols = line.substring(5).trim().split("\\s+");
                if (header == null) {
                    header = cols;
                } else {
                    for (int i = 0; i < header.length; i++) {
                        if (header[i].equals("NoPorts")) {
                            return Long.parseLong(cols[i]);
                        }
                    }
                }
            }
        }
        return -1;
    }

    private static String check(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out.trim());
        }
        return out;
    }
}
