package io.warren.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.testlab.ExecResult;
import io.warren.testlab.NetLab;
import io.warren.testlab.Netns;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real boot: the cached bookworm root (systemd, systemd-sysv, dbus) booted with {@code systemd-nspawn -b}
 * in a network namespace made by the lab, the .deb installed with apt (offline, from cached archives),
 * then the service driven with systemctl under its hardened unit.
 *
 * <p>Proves: postinst enables and starts the unit; {@code systemctl start} succeeds only when the daemon
 * sends READY=1 (Type=notify) and it runs as user warren and serves its metrics port on loopback;
 * {@code systemctl reload} ({@code warren reload} over the control socket: RELOADING=1, READY=1) keeps the same main process active;
 * {@code systemctl stop} (SIGTERM) ends with Result=success and exit status 0; the daemon's journal
 * lines carry no timestamp of their own (journald adds one) and no raw priority prefix.
 */
class DebBootIT {
    @RegisterExtension
    static final NetLab LAB = NetLab.create();

    private static final int METRICS_PORT = 9187;
    /** Metrics on loopback and one WireGuard interface: the hardened unit must be able to open a TUN device. */
    private static final String CONFIG = String.join("\n",
            "# DebBootIT: metrics on loopback and a WireGuard interface with a throwaway key.",
            "[interface.wg0]",
            "private-key = \"" + throwawayKey() + "\"",
            "listen-port = 51820",
            "address = [\"10.66.0.1/24\"]",
            "[metrics]",
            "enabled = true",
            "listen = \"127.0.0.1:" + METRICS_PORT + "\"",
            "");

    /** A random 32-byte WireGuard private key made for this run (the daemon clamps it). */
    private static String throwawayKey() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return java.util.Base64.getEncoder().encodeToString(key);
    }
    /** A timestamp at the start of a message: the journal already has one. */
    private static final Pattern OWN_TIMESTAMP =
            Pattern.compile("^\\[?(\\d{4}-\\d{2}-\\d{2}[T ])?\\d{2}:\\d{2}:\\d{2}");
    private static final Duration SYSTEMCTL = Duration.ofSeconds(90);

    @Test
    @Timeout(value = 15, unit = java.util.concurrent.TimeUnit.MINUTES)
    void startReloadStopUnderSystemd(@TempDir Path tmp) throws Exception {
        Requirements.root("network namespaces, overlay mounts and systemd-nspawn -b");
        Requirements.tool("debootstrap", "debootstrap");
        Requirements.tool("systemd-nspawn", "systemd-container");
        Requirements.tool("unshare", "util-linux");
        Requirements.tool("nsenter", "util-linux");
        Requirements.tool("dpkg-deb", "dpkg");
        LAB.requireRoot();
        LAB.requireTools("ip");
        Path deb = BuiltDeb.path();
        Path base = DebianCache.rootFor(deb);
        Netns ns = LAB.netns("boot");
        Path config = tmp.resolve("warren.toml");
        Files.writeString(config, CONFIG, StandardCharsets.UTF_8);

        try (OverlayRoot root = new OverlayRoot(base, "debboot")) {
            root.put(deb, "/var/tmp/warren.deb");
            long t0 = System.nanoTime();
            try (BootedContainer c = BootedContainer.boot(root, ns.path())) {
                DebianCache.log("boot took " + (System.nanoTime() - t0) / 1_000_000 + " ms");

                // Install on a running systemd: postinst enables and starts the unit (packaged default config).
                c.check("install", Duration.ofMinutes(5), "apt-get install -q -y --no-install-recommends"
                        + " /var/tmp/warren.deb");
                assertEquals("enabled", c.sh(SYSTEMCTL, "systemctl is-enabled warren").stdout().trim());
                assertEquals("active", state(c), "postinst started warren with the packaged config\n"
                        + status(c));

                c.check("stop after install", SYSTEMCTL, "systemctl stop warren");
                c.check("write config", Duration.ofSeconds(30),
                        "cat > /etc/warren/warren.toml && warren check --config /etc/warren/warren.toml", config);

                // On a Debian host udev's 50-udev-default.rules gives /dev/net/tun mode 0666 (how unprivileged
                // VPN daemons open it; the unit's DeviceAllow= narrows it per cgroup). This minbase container has
                // no udev, so nspawn's node is 0600 root: give it the mode a real system has.
                c.sh(SYSTEMCTL, "chmod 0666 /dev/net/tun");
                // start: returns once READY=1 arrived (Type=notify), or fails.
                ExecResult start = c.sh(SYSTEMCTL, "systemctl start warren");
                assertEquals(0, start.exitCode(), "systemctl start warren\n" + start.stderr() + status(c));
                assertEquals("active", state(c), status(c));
                String pid = show(c, "MainPID");
                assertFalse(pid.equals("0"), "a main PID");
                assertEquals("warren", c.sh(SYSTEMCTL, "stat -c %U /proc/" + pid).stdout().trim(),
                        "the daemon runs as user warren");
                ExecResult listen = c.sh(SYSTEMCTL, "ss -Hltn 'sport = :" + METRICS_PORT + "'");
                assertTrue(listen.stdout().contains("127.0.0.1:" + METRICS_PORT),
                        "the daemon serves metrics on 127.0.0.1:" + METRICS_PORT + ": " + listen.stdout() + status(c));
                // The tunnel is up under the hardened unit: TUN device wg0 (DeviceAllow, CAP_NET_ADMIN), its
                // address, the UDP port, and the UAPI socket for wg(8) owned by the warren user.
                ExecResult link = c.sh(SYSTEMCTL, "ip -o addr show dev wg0");
                assertTrue(link.stdout().contains("10.66.0.1/24"), "wg0 is up with its address: " + link.stdout()
                        + link.stderr() + status(c));
                ExecResult udp = c.sh(SYSTEMCTL, "ss -Hlun 'sport = :51820'");
                assertTrue(udp.stdout().contains("51820"), "the WireGuard port is bound: " + udp.stdout() + status(c));
                assertEquals("warren 600", c.sh(SYSTEMCTL, "stat -c '%U %a' /run/wireguard/wg0.sock").stdout().trim(),
                        "the UAPI socket belongs to the daemon, mode 0600");

                // reload: warren reload, RELOADING=1 then READY=1; same process, still active.
                ExecResult reload = c.sh(SYSTEMCTL, "systemctl reload warren");
                assertEquals(0, reload.exitCode(), "systemctl reload warren\n" + reload.stderr() + status(c));
                assertEquals("active", state(c), status(c));
                assertEquals(pid, show(c, "MainPID"), "reload keeps the same main process");

                // stop: SIGTERM, STOPPING=1, exit 0.
                ExecResult stop = c.sh(SYSTEMCTL, "systemctl stop warren");
                assertEquals(0, stop.exitCode(), "systemctl stop warren\n" + stop.stderr());
                assertEquals("inactive", state(c), status(c));
                assertEquals("success", show(c, "Result"), status(c));
                assertEquals("0", show(c, "ExecMainStatus"), "warren exits 0 on SIGTERM\n" + status(c));

                String journal = c.sh(SYSTEMCTL, "journalctl -q --no-pager -o short-iso -u warren").stdout();
                DebianCache.log("journal of warren.service:\n" + journal);
                assertTrue(journal.contains("Reloaded"), "systemd logged the finished reload\n" + journal);
                List<String> own = Arrays.asList(c.sh(SYSTEMCTL,
                        "journalctl -q --no-pager -o cat -u warren _COMM=java").stdout().split("\n"));
                own = own.stream().filter(l -> !l.isBlank()).collect(Collectors.toList());
                assertFalse(own.isEmpty(), "the daemon wrote to the journal\n" + journal);
                for (String line : own) {
                    assertFalse(OWN_TIMESTAMP.matcher(line).find(), "duplicate timestamp in journal line: " + line);
                    assertFalse(line.matches("^<[0-7]>.*"), "unparsed priority prefix in journal line: " + line);
                }
                DebianCache.log("boot test in the container took " + (System.nanoTime() - t0) / 1_000_000_000 + " s");
            }
        }
    }

    private static String state(BootedContainer c) {
        return c.sh(SYSTEMCTL, "systemctl is-active warren").stdout().trim();
    }

    private static String show(BootedContainer c, String property) {
        return c.sh(SYSTEMCTL, "systemctl show -p " + property + " --value warren").stdout().trim();
    }

    /** The unit's status and recent journal, for failure messages. */
    private static String status(BootedContainer c) {
        ExecResult r = c.sh(SYSTEMCTL, "systemctl status --no-pager -l warren; journalctl -q --no-pager -n 40 -u warren");
        return "\n--- systemctl status / journal ---\n" + Exec.tail(r.stdout() + r.stderr());
    }
}
