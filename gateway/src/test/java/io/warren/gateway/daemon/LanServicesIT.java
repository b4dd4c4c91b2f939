package io.warren.gateway.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.warren.crypto.primitives.NoisePrivateKey;
import io.warren.gateway.config.ConfigLoader;
import io.warren.gateway.config.ConfigResult;
import io.warren.gateway.config.WarrenConfig;
import io.warren.gateway.systemd.SdNotify;
import io.warren.testlab.NetLab;
import io.warren.testlab.Netns;
import io.warren.testlab.Wait;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole daemon serving a LAN as dnsmasq would: a host behind the gateway gets its address by
 * DHCP (busybox udhcpc; ISC dhclient naming itself by option 81, RFC 4702) and resolves, through the gateway's DNS, a WireGuard peer's name, a static
 * DHCP host's name and its own lease name; names outside the local domain are never made up.
 */
class LanServicesIT {
    @RegisterExtension
    static final NetLab lab = NetLab.create();

    private WarrenDaemon daemon;
    private CompletableFuture<Integer> exit;

    @AfterEach
    void stop() throws Exception {
        if (daemon != null) {
            daemon.submit(new DaemonEvent.Stop("test"));
            exit.get(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void lanHostGetsAnAddressAndResolvesPeerAndLeaseNames() throws Exception {
        lab.requireRoot();
        lab.requireTools("busybox", "dig", "dhclient");
        Netns gw = lab.netns("lg");
        Netns host = lab.netns("lh");
        Netns fqdnHost = lab.netns("dhcp81-lf");
        lab.veth(gw, "p1", host, "eth0");
        lab.veth(gw, "p2", fqdnHost, "eth0");
        lab.bridge(gw, "lan0", "p1", "p2");
        gw.addr("lan0", "192.168.77.1/24");
        String wg = lab.uniqueName("lw");
        NoisePrivateKey key = NoisePrivateKey.generate(new SecureRandom());
        NoisePrivateKey laptop = NoisePrivateKey.generate(new SecureRandom());
        Path leases = Files.createDirectories(lab.tempDir().resolve("state"));
        Path file = lab.tempDir().resolve("warren.toml");
        Files.writeString(file, "[interface." + wg + "]\n"
                + "private-key = \"" + key.toBase64() + "\"\nlisten-port = 51820\naddress = [\"10.99.0.1/24\"]\n"
                + "[[interface." + wg + ".peer]]\nname = \"laptop\"\n"
                + "public-key = \"" + laptop.publicKey().toBase64() + "\"\nallowed-ips = [\"10.99.0.5/32\"]\n"
                + "[dhcp.office]\ninterface = \"lan0\"\nsubnet = \"192.168.77.0/24\"\n"
                + "range = [\"192.168.77.100\", \"192.168.77.150\"]\nrouter = \"192.168.77.1\"\n"
                + "dns = [\"192.168.77.1\"]\ndomain = \"corp.test\"\n"
                + "[[dhcp.office.host]]\nmac = \"02:00:00:00:77:01\"\naddress = \"192.168.77.20\"\nname = \"printer\"\n"
                // A host with its own router, DNS server and NTP server (option 42) instead of the pool's.
                + "[[dhcp.office.host]]\nclient-id = \"01:02:00:00:00:77:02\"\naddress = \"192.168.77.30\"\n"
                + "router = \"192.168.77.254\"\ndns = [\"192.168.77.53\"]\noptions = { 42 = \"192.168.77.123\" }\n"
                + "[dns]\nlisten = [\"192.168.77.1\"]\nupstreams = [\"192.168.77.250\"]\nlocal-domain = \"corp.test\"\n"
                + "peer-domain = \"vpn.corp.test\"\n"
                + "[[dns.record]]\nname = \"www.corp.test\"\ntype = \"CNAME\"\nvalue = \"printer.corp.test\"\n"
                + "[[dns.record]]\nname = \"corp.test\"\ntype = \"TXT\"\nvalue = \"\\\"v=spf1 -all\\\"\"\n"
                + "[[dns.record]]\nname = \"corp.test\"\ntype = \"MX\"\nvalue = \"10 printer.corp.test\"\n"
                + "[metrics]\nenabled = false\n[control]\nsocket = \"" + lab.tempDir().resolve("ctl.sock") + "\"\n");
        ConfigResult parsed = ConfigLoader.load(file);
        assertTrue(parsed.isValid(), parsed.problems().toString());
        WarrenConfig config = parsed.config().orElseThrow();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        daemon = new WarrenDaemon(d -> {
            WireGuardService wireguard = WireGuardService.standard();
            return List.of(wireguard, new LanServices(leases, registry));
        }, ConfigLoader::load, SdNotify.forSocket(null), false);
        exit = new CompletableFuture<>();
        StringWriter out = new StringWriter();
        gw.run(() -> {
            Thread t = new Thread(() -> exit.complete(daemon.run(config, file, new PrintWriter(out))));
            t.setDaemon(true);
            t.start();
        });
        Wait.until(Duration.ofSeconds(20), "the daemon's DHCP and DNS sockets",
                () -> {
                    if (exit.isDone()) {
                        throw new AssertionError("the daemon exited with " + exit.join() + ": " + out);
                    }
                    String ss = gw.execAllowFail("ss", "-lun").stdout();
                    return ss.contains("192.168.77.1]:53") || ss.contains("192.168.77.1:53");
                });

        Path record = lab.tempDir().resolve("record");
        Files.writeString(record, "");
        Path script = lab.tempDir().resolve("udhcpc.sh");
        Files.writeString(script, "#!/bin/sh\ncase \"$1\" in\n  bound|renew)\n"
                + "    ip addr replace \"$ip/$mask\" dev \"$interface\"\n"
                + "    echo \"$1 $ip $router $dns $domain\" >> " + record + " ;;\nesac\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        lab.spawn(host, "busybox", "udhcpc", "-f", "-i", "eth0", "-s", script.toString(), "-t", "10", "-T", "1",
                "-x", "hostname:labhost");
        Wait.until(Duration.ofSeconds(20), "a DHCP lease", () -> {
            try {
                return Files.readString(record).startsWith("bound ");
            } catch (java.io.IOException e) {
                return false;
            }
        });
        String[] got = Files.readString(record).lines().findFirst().orElseThrow().split(" ");
        String address = got[1];
        assertTrue(address.startsWith("192.168.77.1"), "an address from the pool: " + address);
        assertEquals("192.168.77.1", got[2], "router");
        assertEquals("192.168.77.1", got[3], "DNS server");
        assertEquals("corp.test", got[4], "domain");

        assertEquals("10.99.0.5", dig(host, "laptop.vpn.corp.test"), "the VPN peer's name, under peer-domain");
        assertEquals("printer.corp.test.\n192.168.77.20", dig(host, "www.corp.test"), "a static CNAME, chased locally");
        assertEquals("\"v=spf1 -all\"", dig(host, "corp.test", "TXT"), "a static TXT record");
        assertEquals("10 printer.corp.test.", dig(host, "corp.test", "MX"), "a static MX record");
        assertEquals("192.168.77.20", dig(host, "printer.corp.test"), "the static DHCP host, before it ever appears");
        Wait.until(Duration.ofSeconds(5), "the lease name in DNS",
                () -> address.equals(dig(host, "labhost.corp.test")));
        String nx = host.exec("dig", "+short", "+time=2", "+tries=1", "@192.168.77.1", "nobody.corp.test").stdout();
        assertEquals("", nx.strip(), "unknown names in the local domain are NXDOMAIN, never forwarded");
        String status = host.exec("dig", "+time=2", "+tries=1", "@192.168.77.1", "nobody.corp.test").stdout();
        assertTrue(status.contains("status: NXDOMAIN"), status);

        // A second client on the segment, known by its client-id, gets its host's own options.
        Path record2 = lab.tempDir().resolve("record2");
        Files.writeString(record2, "");
        Path script2 = lab.tempDir().resolve("udhcpc2.sh");
        Files.writeString(script2, "#!/bin/sh\ncase \"$1\" in\n  bound|renew)\n"
                + "    echo \"$1 $ip $router $dns $ntpsrv\" >> " + record2 + " ;;\nesac\n");
        Files.setPosixFilePermissions(script2, PosixFilePermissions.fromString("rwx------"));
        lab.spawn(host, "busybox", "udhcpc", "-f", "-i", "eth0", "-s", script2.toString(), "-t", "10", "-T", "1",
                "-x", "0x3d:01020000007702", "-O", "ntpsrv", "-p", lab.tempDir().resolve("udhcpc2.pid").toString());
        Wait.until(Duration.ofSeconds(20), "the second client's lease", () -> {
            try {
                return Files.readString(record2).startsWith("bound ");
            } catch (java.io.IOException e) {
                return false;
            }
        });
        assertEquals("bound 192.168.77.30 192.168.77.254 192.168.77.53 192.168.77.123",
                Files.readString(record2).lines().findFirst().orElseThrow().strip(), "the host's own options");

        // ISC dhclient naming itself only by option 81, Client FQDN (RFC 4702), in wire format with S = 0:
        // the lease takes the first label, the name resolves, and the ACK's option 81 says the server
        // publishes it (S = 1, O = 1: it overrode the client's S = 0) under the pool's domain.
        Path record3 = lab.tempDir().resolve("record3");
        Files.writeString(record3, "");
        Path script3 = lab.tempDir().resolve("dhclient.sh");
        Files.writeString(script3, "#!/bin/sh\ncase \"$reason\" in\n  PREINIT) ip link set \"$interface\" up ;;\n"
                + "  BOUND|RENEW|REBIND|REBOOT)\n"
                + "    ip addr replace \"$new_ip_address/$new_subnet_mask\" dev \"$interface\"\n"
                + "    echo \"$reason $new_ip_address $new_fqdn_fqdn $new_fqdn_server_update $new_fqdn_encoded\" >> "
                + record3 + " ;;\nesac\n");
        Files.setPosixFilePermissions(script3, PosixFilePermissions.fromString("rwx------"));
        Path conf3 = lab.tempDir().resolve("dhclient.conf");
        Files.writeString(conf3, "send fqdn.fqdn \"FqdnBox.elsewhere.example.\";\nsend fqdn.encoded on;\n"
                + "send fqdn.server-update off;\nalso request fqdn;\n");
        lab.spawn(fqdnHost, "dhclient", "-d", "-4", "-v", "-cf", conf3.toString(),
                "-lf", lab.tempDir().resolve("dhclient.lease").toString(),
                "-pf", lab.tempDir().resolve("dhclient.pid").toString(), "-sf", script3.toString(), "eth0");
        Wait.until(Duration.ofSeconds(20), "dhclient's lease", () -> {
            try {
                return Files.readString(record3).startsWith("BOUND ");
            } catch (java.io.IOException e) {
                return false;
            }
        });
        String[] got3 = Files.readString(record3).lines().findFirst().orElseThrow().split(" ", -1);
        Wait.until(Duration.ofSeconds(5), "the option 81 name in DNS",
                () -> got3[1].equals(dig(host, "fqdnbox.corp.test")));
        assertEquals("fqdnbox.corp.test true true", got3[2] + " " + got3[3] + " " + got3[4],
                "the ACK's option 81: our name for the client, S = 1, E echoed");

        // The servers' meters were registered at start and read their counters (1 s scrape cache).
        Wait.until(Duration.ofSeconds(5), "warren_dhcp_leases{pool=office} = 3 (all clients)",
                () -> registry.get("warren.dhcp.leases").tag("pool", "office").gauge().value() == 3);
        assertTrue(registry.get("warren.dns.local.answers").functionCounter().count() >= 4, "local answers counted");
    }

    private static String dig(Netns ns, String name) {
        return dig(ns, name, "A");
    }

    private static String dig(Netns ns, String name, String type) {
        return ns.exec("dig", "+short", "+time=2", "+tries=1", "@192.168.77.1", name, type).stdout().strip();
    }
}
