package io.warren.gateway.l2;

import io.warren.gateway.config.TunnelConfig;
import io.warren.gateway.config.TunnelParams;
import io.warren.gateway.config.TunnelType;
import io.warren.testlab.ExecResult;
import io.warren.testlab.LabProcess;
import io.warren.testlab.NetLab;
import io.warren.testlab.Netns;
import io.warren.testlab.Wait;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Shared pieces of the L2 namespace tests: configs, ping and iperf3 parsing, tshark captures. */
final class L2Lab {
    private L2Lab() {
    }

    static TunnelConfig vxlan(String name, int vni, String remote, String bridge, int vlan) {
        return new TunnelConfig(name, TunnelType.VXLAN, true, Optional.empty(), remote,
                new TunnelParams.Vxlan(vni, 4789), Optional.empty(), OptionalInt.empty(),
                Optional.ofNullable(bridge), vlan == 0 ? OptionalInt.empty() : OptionalInt.of(vlan),
                io.warren.gateway.config.Forwarding.OFF);
    }

    static TunnelConfig l2tpv3(String name, long ours, long theirs, TunnelParams.Cookie expect,
                               TunnelParams.Cookie send, String remote, boolean overUdp, boolean sequence) {
        return new TunnelConfig(name, TunnelType.L2TPV3, true, Optional.empty(), remote,
                new TunnelParams.L2tpv3(ours, theirs, expect, send, overUdp, 1701, sequence),
                Optional.empty(), OptionalInt.empty(), Optional.empty(), OptionalInt.empty(),
                io.warren.gateway.config.Forwarding.OFF);
    }

    static InetAddress addr(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(s, e);
        }
    }

    static int lossPercent(ExecResult ping) {
        Matcher m = Pattern.compile("(\\d+)% packet loss").matcher(ping.stdout());
        return m.find() ? Integer.parseInt(m.group(1)) : 100;
    }

    /** The receiver's average from iperf3's JSON summary. */
    static double bitsPerSecond(String json) {
        Matcher m = Pattern.compile("\"sum_received\"\\s*:\\s*\\{[^}]*\"bits_per_second\"\\s*:\\s*([0-9.eE+]+)")
                .matcher(json);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /** iperf3 TCP from {@code client} to {@code serverAddr} in {@code server} for {@code seconds}; bits/s. */
    static double iperf(NetLab lab, Netns server, String serverAddr, Netns client, int seconds) {
        LabProcess s = lab.spawn(server, "iperf3", "-s", "-B", serverAddr, "-1");
        Wait.until(Duration.ofSeconds(5), "iperf3 server listening",
                () -> server.execAllowFail("ss", "-ltn", "sport = :5201").stdout().contains("5201"));
        ExecResult r = client.execAllowFail("iperf3", "-c", serverAddr, "-t", Integer.toString(seconds), "-J");
        s.waitFor(Duration.ofSeconds(5));
        if (r.exitCode() != 0) {
            throw new AssertionError("iperf3 failed: " + r.stdout() + r.stderr());
        }
        return bitsPerSecond(r.stdout());
    }

    /**
     * A running tshark capture on {@code ifname} of {@code ns}, printing one line per packet as it
     * arrives ({@code -l}), so nothing is lost in a file buffer when it is stopped.
     */
    static final class Capture {
        private final LabProcess process;

        /** @param args display arguments after the capture ones, e.g. {@code -T fields -e vxlan.vni} */
        Capture(NetLab lab, Netns ns, String ifname, String filter, String... args) {
            List<String> argv = new ArrayList<>(List.of("tshark", "-l", "-n", "-i", ifname, "-f", filter));
            argv.addAll(List.of(args));
            process = lab.spawn(ns, argv.toArray(String[]::new));
            Wait.until(Duration.ofSeconds(10), "tshark capturing on " + ifname,
                    () -> process.output().contains("Capturing on"));
            try {
                Thread.sleep(1000); // dumpcap opens the interface a little after the message on a busy box
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Stops the capture (by PID) and returns the packet lines (tshark's own messages removed). */
        List<String> stop() throws InterruptedException {
            Thread.sleep(1000);
            process.stop();
            List<String> out = new ArrayList<>();
            for (String line : process.output().split("\n")) {
                if (!line.isBlank() && !line.startsWith("Capturing on") && !line.matches("^\\d+ packets? captured$")
                        && !line.startsWith("Running as user")) {
                    out.add(line);
                }
            }
            return out;
        }
    }
}
