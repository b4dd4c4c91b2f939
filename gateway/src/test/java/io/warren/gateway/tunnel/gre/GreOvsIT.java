package io.warren.gateway.tunnel.gre;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.gateway.config.TunnelType;
import io.warren.testlab.ExecResult;
import io.warren.testlab.LabProcess;
import io.warren.testlab.NetLab;
import io.warren.testlab.Wait;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Warren's L3 GRE against Open vSwitch's userspace GRE (a real, independent implementation), plain
 * and keyed: ping and iperf3 between a host behind each gateway.
 */
class GreOvsIT {
    @RegisterExtension
    static final NetLab lab = NetLab.create();

    private GreSites sites;
    private OvsSite ovs;

    @BeforeEach
    void requirements() {
        lab.requireRoot();
        lab.requireTools("ip", "ping", "iperf3", "ovsdb-server", "ovs-vswitchd", "ovs-vsctl", "ovs-ofctl", "ovsdb-tool");
        sites = new GreSites(lab);
    }

    @AfterEach
    void close() {
        if (ovs != null) {
            ovs.stop();
        }
        if (sites != null) {
            sites.close();
        }
    }

    @Test
    void plainGre() throws Exception {
        interop(null);
    }

    @Test
    void keyedGre() throws Exception {
        interop(4242L);
    }

    private void interop(Long key) throws Exception {
        GreSites.Site warren = sites.site(1, 1500);
        GreSites.Site other = sites.site(2, 1500);
        ovs = new OvsSite(lab, other, warren.underlayIp(), key, key == null ? 1476 : 1472);
        GreTunnel t = sites.open(warren, GreSites.config("gre1", TunnelType.GRE, warren.underlayIp(), other.underlayIp(),
                GreSites.gre(key, false, false)), "10.2.0.0/24");
        ExecResult r = null;
        for (int i = 0; i < 20; i++) {
            r = warren.host().execAllowFail("ping", "-n", "-c", "3", "-i", "0.1", "-W", "1", other.hostIp());
            if (r.exitCode() == 0) {
                break;
            }
        }
        assertEquals(0, r.exitCode(), r.stdout() + sites.counters());
        LabProcess srv = lab.spawn(other.host(), "iperf3", "-s", "-1", "-B", other.hostIp());
        Wait.until(Duration.ofSeconds(5), "iperf3 server", () -> other.host().execAllowFail("ss", "-ltn").stdout().contains(":5201"));
        ExecResult perf = warren.host().execAllowFail("iperf3", "-c", other.hostIp(), "-t", "2");
        srv.waitFor(Duration.ofSeconds(5));
        assertEquals(0, perf.exitCode(), perf.stdout() + perf.stderr());
        System.out.println("Warren <-> OVS GRE key=" + key + ":\n" + perf.stdout().lines().filter(l -> l.contains("receiver"))
                .findFirst().orElse(perf.stdout()));
        assertEquals(0, t.core().counters().dropped(GreDrop.KEY_MISMATCH));
        assertTrue(t.core().counters().get(GreCounters.Traffic.RX_PACKETS) > 100);
    }
}
