package io.warren.gateway.dhcp;

import io.warren.gateway.config.DhcpPoolConfig;
import io.warren.gateway.config.IpPrefix;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the DHCP server alone with one pool given on the command line, for benchmarks
 * ({@code bench/sections/dhcp.sh}) and troubleshooting; the daemon starts
 * {@link DhcpServer} from its config instead.
 *
 * <pre>java -cp ... io.warren.gateway.dhcp.DhcpServerMain IFACE SUBNET/LEN FIRST LAST LEASE_SECONDS LEASE_MAX LEASE_DIR</pre>
 *
 * Runs until SIGTERM/SIGINT, then closes the server (journal synced) and prints the counters.
 */
public final class DhcpServerMain {

    private DhcpServerMain() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 7) {
            System.err.println("usage: DhcpServerMain IFACE SUBNET/LEN FIRST LAST LEASE_SECONDS LEASE_MAX LEASE_DIR");
            System.exit(2);
        }
        IpPrefix subnet = IpPrefix.parse(args[1]).orElseThrow(() -> new IllegalArgumentException("bad subnet " + args[1]));
        DhcpPoolConfig pool = new DhcpPoolConfig("main", args[0], subnet.network(),
                DhcpText.inet(DhcpText.parseDotted(args[2]).orElseThrow()),
                DhcpText.inet(DhcpText.parseDotted(args[3]).orElseThrow()), Optional.empty(), List.of(), Optional.empty(),
                Duration.ofSeconds(Long.parseLong(args[4])), List.of(), Map.of());
        DhcpSettings settings = DhcpSettings.defaults().withLeaseMax(Integer.parseInt(args[5]));
        DhcpServer server = DhcpServer.start(List.of(pool), Path.of(args[6]), settings, DhcpInterface::byKernelName,
                DhcpWire.SERVER_PORT);
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            server.counters().snapshot().forEach((k, v) -> {
                if (v != 0) {
                    System.out.println(k + " " + v);
                }
            });
            stop.countDown();
        }, "dhcp-stop"));
        System.out.println("ready");
        stop.await();
    }
}
