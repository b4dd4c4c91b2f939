package io.warren.gateway.daemon;

import io.warren.gateway.control.meters.Meters;
import io.warren.gateway.control.meters.TunnelMeters;
import java.time.Clock;
import java.util.List;

/** The production service list, in start order (the control service reads what the others started). */
final class Services {
    private Services() {
    }

    static List<Service> standard(WarrenDaemon daemon) {
        Meters meters = Meters.off();
        WireGuardService wireguard = WireGuardService.standard();
        LanServices lan = LanServices.standard(meters);
        TunnelService tunnels = TunnelService.standard();
        tunnels.meters(new TunnelMeters(meters));
        ControlService control = new ControlService(daemon, wireguard, meters, Clock.systemUTC());
        control.leaseSource(lan::leases);
        control.tunnelSource(tunnels::tunnels);
        NatTraversalService nat = NatTraversalService.standard(wireguard, meters);
        control.natSource(nat::status);
        return List.of(new MetricsService(meters), wireguard, nat,
                tunnels, lan,
                new DropReportService(wireguard), control);
    }
}
