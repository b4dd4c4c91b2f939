package io.warren.testlab;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Finds executables on the PATH (plus the sbin directories) and names the Debian package of each. */
final class Tools {
    private static final Map<String, String> DEBIAN_PACKAGE = Map.ofEntries(
            Map.entry("ip", "iproute2"), Map.entry("bridge", "iproute2"), Map.entry("tc", "iproute2"),
            Map.entry("ss", "iproute2"), Map.entry("ping", "iputils-ping"), Map.entry("ethtool", "ethtool"),
            Map.entry("nft", "nftables"), Map.entry("sysctl", "procps"), Map.entry("wireguard-go", "wireguard-go"),
            Map.entry("wg", "wireguard-tools"), Map.entry("tshark", "tshark"), Map.entry("tcpdump", "tcpdump"),
            Map.entry("iperf3", "iperf3"), Map.entry("dnsmasq", "dnsmasq"), Map.entry("dig", "bind9-dnsutils"),
            Map.entry("kdig", "knot-dnsutils"), Map.entry("dnsperf", "dnsperf"), Map.entry("dhclient", "isc-dhcp-client"),
            Map.entry("udhcpc", "busybox"), Map.entry("busybox", "busybox"), Map.entry("dhcpcd", "dhcpcd-base"),
            Map.entry("perfdhcp", "kea-admin"), Map.entry("turnserver", "coturn"),
            Map.entry("turnutils_stunclient", "coturn"), Map.entry("stun", "stun-client"),
            Map.entry("ovs-vsctl", "openvswitch-switch"), Map.entry("ovs-vswitchd", "openvswitch-switch"),
            Map.entry("ovsdb-server", "openvswitch-switch"), Map.entry("socat", "socat"),
            Map.entry("nc", "netcat-openbsd"), Map.entry("conntrack", "conntrack"),
            Map.entry("strace", "strace"), Map.entry("python3", "python3"), Map.entry("unshare", "util-linux"),
            Map.entry("nsenter", "util-linux"), Map.entry("timeout", "coreutils"), Map.entry("sleep", "coreutils"));

    private Tools() {
    }

    /** @return the Debian package that ships {@code executable}, or a hint when unknown */
    static String debianPackage(String executable) {
        return DEBIAN_PACKAGE.getOrDefault(executable, "unknown package (apt-file search bin/" + executable + ")");
    }

    /** @return the absolute path of {@code executable}, searching PATH and the sbin directories */
    static Optional<Path> find(String executable) {
        if (executable.contains("/")) {
            Path p = Path.of(executable);
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        Set<String> dirs = new LinkedHashSet<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(File.pathSeparator)) {
                if (!d.isEmpty()) {
                    dirs.add(d);
                }
            }
        }
        dirs.add("/usr/local/sbin");
        dirs.add("/usr/sbin");
        dirs.add("/sbin");
        dirs.add("/usr/bin");
        dirs.add("/bin");
        for (String d : dirs) {
            Path p = Path.of(d, executable);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** @return the skip message for a missing tool, e.g. "needs 'nft' (Debian package nftables) ..." */
    static String missingMessage(String executable) {
        String pkg = debianPackage(executable);
        return "SKIPPED: needs '" + executable + "' (Debian package " + pkg + "), not found on PATH or in sbin;"
                + " install it with: DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "
                + pkg;
    }
}
