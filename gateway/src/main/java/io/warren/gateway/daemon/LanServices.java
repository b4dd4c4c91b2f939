package io.warren.gateway.daemon;

import io.micrometer.core.instrument.MeterRegistry;
import io.warren.gateway.config.ConfigDiff;
import io.warren.gateway.config.DhcpHost;
import io.warren.gateway.config.DhcpPoolConfig;
import io.warren.gateway.config.InterfaceConfig;
import io.warren.gateway.config.IpPrefix;
import io.warren.gateway.config.PeerConfig;
import io.warren.gateway.config.WarrenConfig;
import io.warren.gateway.control.StatusReport;
import io.warren.gateway.control.meters.DhcpMeters;
import io.warren.gateway.control.meters.DnsMeters;
import io.warren.gateway.control.meters.MeterGroup;
import io.warren.gateway.control.meters.Meters;
import io.warren.gateway.dhcp.DhcpLease;
import io.warren.gateway.dhcp.DhcpLeaseListener;
import io.warren.gateway.dhcp.DhcpServer;
import io.warren.gateway.dhcp.LeaseChange;
import io.warren.gateway.dns.DnsServer;
import io.warren.gateway.dns.NameOrigin;
import io.warren.gateway.dns.NameSource;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * DHCP and DNS for the networks behind the gateway, like dnsmasq on a router: the DHCP server's
 * leases, the static DHCP hosts and the WireGuard peers' names are published in the DNS server's
 * local zone: lease and static-host names under {@code [dns] lease-domain}, peer names under
 * {@code peer-domain} (each defaulting to {@code local-domain}); static records ({@code [[dns.record]]})
 * are loaded by the DNS server itself.
 *
 * <p>Reload: changed DHCP pools restart the DHCP server (leases live in its journal, so clients
 * keep their addresses); a changed {@code [dns]} section restarts the DNS server and republishes
 * every name; peer names are republished on every reload. A static host's own options (router, DNS,
 * options by number) are part of its pool, so changing them restarts the DHCP server like any pool change.
 *
 * <p>Metrics: each server's meters ({@link DhcpMeters}, {@link DnsMeters}) are registered when it
 * starts and removed when it stops, so a restarted server is scraped afresh.
 */
final class LanServices implements Service {
    private static final Logger LOG = Logger.getLogger(LanServices.class.getName());

    private final Path leaseDir;
    private final Meters meters;
    private DhcpServer dhcp;
    private MeterGroup dhcpMeters;
    private DnsServer dns;
    private MeterGroup dnsMeters;
    private NameSource leaseNames;
    private NameSource staticNames;
    private NameSource peerNames;
    private final Map<String, List<InetAddress>> publishedPeers = new LinkedHashMap<>();
    private final Map<String, InetAddress> publishedStatics = new LinkedHashMap<>();

    LanServices(Path leaseDir, MeterRegistry registry) {
        this(leaseDir, Meters.on(registry));
    }

    LanServices(Path leaseDir, Meters meters) {
        this.leaseDir = leaseDir;
        this.meters = meters;
    }

    /** Leases live in systemd's StateDirectory ({@code $STATE_DIRECTORY}), /var/lib/warren by default. */
    static LanServices standard(Meters meters) {
        String state = System.getenv("STATE_DIRECTORY");
        return new LanServices(Path.of(state == null || state.isEmpty() ? "/var/lib/warren" : state.split(":")[0]),
                meters);
    }

    @Override
    public String name() {
        return "dhcp+dns";
    }

    @Override
    public void start(WarrenConfig config) throws IOException {
        startDns(config);
        startDhcp(config);
        publishPeers(config);
    }

    @Override
    public void apply(WarrenConfig previous, WarrenConfig next, ConfigDiff diff) throws IOException {
        if (diff.dns().isPresent()) {
            closeDns();
            startDns(next);
            if (dhcp != null) {
                dhcp.leases().forEach(this::publishLease);
            }
        }
        if (!diff.dhcpPools().isEmpty()) {
            closeDhcp();
            startDhcp(next);
        } else if (diff.dns().isPresent()) {
            publishStatics(next);
        }
        publishPeers(next);
    }

    /** The leases for {@code warren status}. */
    List<StatusReport.Lease> leases() {
        DhcpServer d = dhcp;
        if (d == null) {
            return List.of();
        }
        List<StatusReport.Lease> out = new ArrayList<>();
        for (DhcpLease l : d.leases()) {
            out.add(new StatusReport.Lease(l.pool(), l.address().getHostAddress(), l.hardwareAddress(),
                    l.hostName().orElse(""), l.expiresAt()));
        }
        return out;
    }

    private void startDns(WarrenConfig config) throws IOException {
        if (!config.dns().enabled()) {
            return;
        }
        dns = DnsServer.start(config.dns());
        dnsMeters = DnsMeters.register(meters, dns.counters());
        LOG.info("dns: answering on " + dns.udpAddresses() + ", forwarding to " + dns.upstreams());
        Name leaseDomain = config.dns().effectiveLeaseDomain().map(LanServices::absolute).orElse(null);
        Name peerDomain = config.dns().effectivePeerDomain().map(LanServices::absolute).orElse(null);
        leaseNames = leaseDomain == null ? null : dns.localZone().source(NameOrigin.DHCP_LEASE, leaseDomain);
        staticNames = leaseDomain == null ? null : dns.localZone().source(NameOrigin.DHCP_STATIC, leaseDomain);
        peerNames = peerDomain == null ? null : dns.localZone().source(NameOrigin.VPN_PEER, peerDomain);
        publishedPeers.clear();
        publishedStatics.clear();
    }

    private void startDhcp(WarrenConfig config) throws IOException {
        List<DhcpPoolConfig> pools = List.copyOf(config.dhcpPools().values());
        if (pools.isEmpty()) {
            return;
        }
        dhcp = DhcpServer.start(pools, leaseDir);
        dhcpMeters = DhcpMeters.register(meters, dhcp, pools);
        dhcp.addListener(new DhcpLeaseListener() {
            @Override
            public void leaseAdded(DhcpLease lease) {
                publishLease(lease);
            }

            @Override
            public void leaseRemoved(DhcpLease lease, LeaseChange.Cause cause) {
                NameSource names = leaseNames;
                if (names != null && lease.hostName().isPresent()) {
                    names.remove(lease.hostName().get(), lease.address());
                }
            }
        });
        publishStatics(config);
        LOG.info("dhcp: " + pools.size() + " pools, leases in " + leaseDir);
    }

    private void publishLease(DhcpLease lease) {
        NameSource names = leaseNames;
        if (names != null && lease.hostName().isPresent()) {
            names.add(lease.hostName().get(), lease.address());
        }
    }

    /** Static DHCP hosts are answered before the client first appears. */
    private void publishStatics(WarrenConfig config) {
        if (staticNames == null) {
            return;
        }
        publishedStatics.forEach(staticNames::remove);
        publishedStatics.clear();
        for (DhcpPoolConfig pool : config.dhcpPools().values()) {
            for (DhcpHost h : pool.hosts()) {
                if (h.name().isPresent()) {
                    staticNames.add(h.name().get(), h.address());
                    publishedStatics.put(h.name().get(), h.address());
                }
            }
        }
    }

    /** Each named peer under its host addresses (/32 and /128 allowed IPs). */
    private void publishPeers(WarrenConfig config) {
        if (peerNames == null) {
            return;
        }
        publishedPeers.forEach((name, addrs) -> addrs.forEach(a -> peerNames.remove(name, a)));
        publishedPeers.clear();
        for (InterfaceConfig ic : config.interfaces().values()) {
            for (PeerConfig p : ic.peers()) {
                if (p.name().isEmpty()) {
                    continue;
                }
                List<InetAddress> addrs = new ArrayList<>();
                for (IpPrefix prefix : p.allowedIps()) {
                    if (prefix.length() == prefix.address().getAddress().length * 8) {
                        addrs.add(prefix.address());
                        peerNames.add(p.name().get(), prefix.address());
                    }
                }
                publishedPeers.put(p.name().get(), addrs);
            }
        }
    }

    private static Name absolute(String domain) {
        try {
            return Name.fromString(domain, Name.root);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("bad DNS domain '" + domain + "'", e);
        }
    }

    private void closeDns() {
        if (dnsMeters != null) {
            dnsMeters.close();
            dnsMeters = null;
        }
        if (dns != null) {
            dns.close();
            dns = null;
            leaseNames = null;
            staticNames = null;
            peerNames = null;
        }
    }

    private void closeDhcp() {
        if (dhcpMeters != null) {
            dhcpMeters.close();
            dhcpMeters = null;
        }
        if (dhcp != null) {
            dhcp.close();
            dhcp = null;
        }
    }

    @Override
    public void close() {
        closeDhcp();
        closeDns();
    }
}
