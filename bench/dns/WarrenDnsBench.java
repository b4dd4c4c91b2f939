// Launcher for the DNS benchmark (bench/sections/dns.sh): starts Warren's DnsServer with a
// listen address, one upstream, a cache size and a number of event loops, prints READY, and runs until stdin closes or SIGTERM.
// bench/sections/dns.sh compiles it ahead and runs it with the gateway classpath; it is not a test.
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.warren.gateway.config.DnsConfig;
import io.warren.gateway.dns.DnsCounters;
import io.warren.gateway.dns.DnsServer;
import io.warren.gateway.dns.DnsServerSettings;

public class WarrenDnsBench {
    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: WarrenDnsBench LISTEN_IP UPSTREAM_IP CACHE_SIZE THREADS");
            System.exit(2);
        }
        DnsConfig config = new DnsConfig(true, List.of(new InetSocketAddress(args[0], 53)),
                List.of(new InetSocketAddress(args[1], 53)), Map.of(), Optional.empty(), List.of(),
                Integer.parseInt(args[2]));
        DnsServer server = DnsServer.start(config, DnsServerSettings.DEFAULTS.withThreads(Integer.parseInt(args[3])));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            DnsCounters c = server.counters();
            System.out.println("warren: udp queries " + c.queriesUdp() + ", cache hits " + c.cacheHits()
                    + ", forwarded " + c.forwarded() + ", upstream answers " + c.upstreamAnswers());
            server.close();
        }));
        System.out.println("READY");
        System.out.flush();
        while (System.in.read() >= 0) {
            // run until stdin closes
        }
        System.exit(0);
    }
}
