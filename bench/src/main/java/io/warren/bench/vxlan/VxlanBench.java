package io.warren.bench.vxlan;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * iperf3 TCP through a VXLAN overlay, Warren's VTEP against the kernel's (root; not a test).
 *
 * <p>Topology, in namespaces this harness creates ({@code wxb<pid>-*}) and deletes: host {@code hl}
 * (10.81.0.1/24, MTU 1450) on bridge {@code brl} in VTEP namespace {@code l}; underlay veth
 * 10.80.0.1 - 10.80.0.2 with TX checksum offload off (shared/lab-notes.md); VTEP namespace {@code r}
 * with a kernel {@code vxlan} device (VNI 42, port 4789) on bridge {@code brr} and host {@code hr}
 * (10.81.0.2/24). The left VTEP is, per {@code --mode}:
 * <ul>
 *   <li>{@code kernel}: a kernel vxlan device on {@code brl} (the baseline);</li>
 *   <li>{@code warren}: the Warren daemon started in {@code l} with a generated config holding
 *       {@code [tunnel.bvx0] type = "vxlan", vni = 42, remote = "10.80.0.2", bridge = "brl"} (and a
 *       private control socket, metrics off); the
 *       command is {@code --warren} with {@code {config}} replaced, e.g.
 *       {@code --warren "java -cp CP io.warren.gateway.Main run --config {config}"}.</li>
 * </ul>
 * Prints Gbit/s of iperf3 hl -> hr and hr -> hl (receiver side), one stream, {@code --seconds} each.
 * Processes started here are stopped by PID.
 *
 * <p>Usage: {@code VxlanBench --mode kernel|warren [--warren CMD] [--seconds 5] [--warmup 3]} (a
 * discarded run of {@code --warmup} seconds each way first, for the JIT); compare the two
 * modes run back to back on the same machine (the ratio is the figure of merit).
 */
public final class VxlanBench {
    private static final Pattern RECEIVED =
            Pattern.compile("\"sum_received\"\\s*:\\s*\\{[^}]*\"bits_per_second\"\\s*:\\s*([0-9.eE+]+)");

    private final String prefix = "wxb" + ProcessHandle.current().pid() + "-";
    private final List<String> namespaces = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private final List<Path> files = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        String mode = "kernel";
        String warren = null;
        int seconds = 5;
        int warmup = 3;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--mode" -> mode = args[++i];
                case "--warren" -> warren = args[++i];
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (mode.equals("warren") && warren == null) {
            throw new IllegalArgumentException("--mode warren needs --warren CMD");
        }
        VxlanBench bench = new VxlanBench();
        try {
            bench.run(mode, warren, seconds, warmup);
        } finally {
            bench.cleanUp();
        }
    }

    private void run(String mode, String warren, int seconds, int warmup) throws Exception {
        String l = netns("l");
        String r = netns("r");
        String hl = netns("hl");
        String hr = netns("hr");
        veth(l, "ul0", r, "ul0");
        ip(l, "addr", "add", "10.80.0.1/24", "dev", "ul0");
        ip(r, "addr", "add", "10.80.0.2/24", "dev", "ul0");
        veth(l, "h0", hl, "eth0");
        veth(r, "h0", hr, "eth0");
        for (String[] ns : new String[][] {{hl, "10.81.0.1/24"}, {hr, "10.81.0.2/24"}}) {
            ip(ns[0], "link", "set", "eth0", "mtu", "1450");
            ip(ns[0], "addr", "add", ns[1], "dev", "eth0");
        }
        ip(r, "link", "add", "vx0", "type", "vxlan", "id", "42", "local", "10.80.0.2", "remote", "10.80.0.1",
                "dstport", "4789", "dev", "ul0");
        bridge(r, "brr", "vx0", "h0");
        bridge(l, "brl", "h0");
        if (mode.equals("kernel")) {
            ip(l, "link", "add", "vx0", "type", "vxlan", "id", "42", "local", "10.80.0.1", "remote", "10.80.0.2",
                    "dstport", "4789", "dev", "ul0");
            ip(l, "link", "set", "vx0", "master", "brl");
            ip(l, "link", "set", "vx0", "up");
        } else {
            Path dir = Files.createTempDirectory("vxlanbench");
            files.add(dir);
            Path config = dir.resolve("warren.toml");
            files.add(config);
            Path control = dir.resolve("control.sock");
            files.add(control);
            Files.writeString(config, "[tunnel.bvx0]\ntype = \"vxlan\"\nvni = 42\nremote = \"10.80.0.2\"\n"
                    + "bridge = \"brl\"\n[control]\nsocket = \"" + control + "\"\n[metrics]\nenabled = false\n",
                    StandardCharsets.US_ASCII);
            List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", l, "sh", "-c",
                    "exec " + warren.replace("{config}", config.toString())));
            processes.add(new ProcessBuilder(cmd).inheritIO().start());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (exec(List.of("ip", "-n", l, "link", "show", "bvx0")).exitCode != 0) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Warren did not create bvx0 within 30 s");
                }
                Thread.sleep(200);
            }
        }
        check(List.of("ip", "netns", "exec", hl, "ping", "-c", "3", "-i", "0.2", "-W", "2", "10.81.0.2"));
        if (warmup > 0) {
            iperf(hr, "10.81.0.2", hl, warmup, false); // JIT warm-up for Warren; discarded
            iperf(hr, "10.81.0.2", hl, warmup, true);
        }
        double up = iperf(hr, "10.81.0.2", hl, seconds, false);
        double down = iperf(hr, "10.81.0.2", hl, seconds, true);
        System.out.printf("vxlan %s: hl->hr %.2f Gbit/s, hr->hl %.2f Gbit/s (%d s each)%n", mode, up / 1e9,
                down / 1e9, seconds);
    }

    private double iperf(String server, String address, String client, int seconds, boolean reverse)
            throws Exception {
        Process s = new ProcessBuilder("ip", "netns", "exec", server, "iperf3", "-s", "-1", "-B", address)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        processes.add(s);
        Thread.sleep(500);
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", client, "iperf3", "-c", address, "-t",
                Integer.toString(seconds), "-J"));
        if (reverse) {
            cmd.add("-R");
        }
        Result r = check(cmd);
        s.waitFor(5, TimeUnit.SECONDS);
        Matcher m = RECEIVED.matcher(r.out);
        if (!m.find()) {
            throw new IllegalStateException("no iperf3 result: " + r.out);
        }
        return Double.parseDouble(m.group(1));
    }

    private String netns(String name) throws Exception {
        String ns = prefix + name;
        check(List.of("ip", "netns", "add", ns));
        namespaces.add(ns);
        ip(ns, "link", "set", "lo", "up");
        return ns;
    }

    private void veth(String a, String ifA, String b, String ifB) throws Exception {
        check(List.of("ip", "-n", a, "link", "add", ifA, "type", "veth", "peer", "name", ifB, "netns", b));
        check(List.of("ip", "netns", "exec", a, "ethtool", "-K", ifA, "tx", "off"));
        check(List.of("ip", "netns", "exec", b, "ethtool", "-K", ifB, "tx", "off"));
        ip(a, "link", "set", ifA, "up");
        ip(b, "link", "set", ifB, "up");
    }

    private void bridge(String ns, String name, String... ports) throws Exception {
        ip(ns, "link", "add", name, "type", "bridge");
        for (String p : ports) {
            ip(ns, "link", "set", p, "master", name);
            ip(ns, "link", "set", p, "up");
        }
        ip(ns, "link", "set", name, "up");
    }

    private void ip(String ns, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", ns));
        cmd.addAll(List.of(args));
        check(cmd);
    }

    private record Result(int exitCode, String out) {
    }

    private static Result exec(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), out);
    }

    private static Result check(List<String> cmd) throws IOException, InterruptedException {
        Result r = exec(cmd);
        if (r.exitCode != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed (" + r.exitCode + "): " + r.out);
        }
        return r;
    }

    private void cleanUp() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            ProcessHandle h = processes.get(i).toHandle();
            h.descendants().forEach(ProcessHandle::destroy);
            h.destroy();
            try {
                h.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        }
        for (int i = files.size() - 1; i >= 0; i--) {
            try {
                Files.deleteIfExists(files.get(i));
            } catch (IOException e) {
                System.err.println("could not delete " + files.get(i) + ": " + e.getMessage());
            }
        }
        for (String ns : namespaces) {
            try {
                exec(List.of("ip", "netns", "del", ns));
            } catch (IOException | InterruptedException e) {
                System.err.println("could not delete namespace " + ns + ": " + e.getMessage());
            }
        }
    }
}
