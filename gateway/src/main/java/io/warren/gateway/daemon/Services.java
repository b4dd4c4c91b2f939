package io.warren.gateway.daemon;

import io.warren.gateway.control.meters.TunnelMeters;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.warren.gateway.metrics.MetricsServer;
import java.time.Clock;
import java.util.List;

/** The production service list, in start order (the control service reads what the others started). */
final class Services {
    private Services() {
    }

    static List<Service> standard(WarrenDaemon daemon) {
        PrometheusMeterRegistry registry = MetricsServer.newRegistry();
        WireGuardService wireguard = WireGuardService.standard();
        LanServices lan = LanServices.standard(registry);
        TunnelService tunnels = TunnelService.standard();
        tunnels.meters(new TunnelMeters(registry));
        ControlService control = new ControlService(daemon, wireguard, registry, Clock.systemUTC());
        control.leaseSource(lan::leases);
        control.tunnelSource(tunnels::tunnels);
        NatTraversalService nat = NatTraversalService.standard(wireguard, registry);
        control.natSource(nat::status);
        return List.of(new MetricsService(registry), wireguard, nat,
                tunnels, lan,
                new DropReportService(wireguard), control);
    }
}
