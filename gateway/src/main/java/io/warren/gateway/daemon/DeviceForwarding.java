package io.warren.gateway.daemon;

import io.warren.tun.link.LinkConfigurator;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * IP forwarding for the devices a tunnel routes between ({@code forwarding = true} and
 * {@code forwarding-interfaces}), switched on while some tunnel needs it and put back when the last
 * one that needed it stops. Only what this class changed is restored: a device that already
 * forwarded is left as it was, before and after.
 *
 * <p>IPv4: {@code net.ipv4.conf.DEV.forwarding} over rtnetlink ({@link LinkConfigurator}); the
 * kernel decides per input device (ip_route_input_slow checks IN_DEV_FORWARD of the device the packet
 * arrived on), so the LAN port and the tunnel device both need it. IPv6: see {@link Ipv6Forwarding};
 * where it cannot be written, one warning names the sysctl to set.
 *
 * <p>Threading: called from the daemon's control thread (the tunnel service, synchronised); all
 * state is confined to it. Failures are logged, never thrown: a tunnel runs even if forwarding
 * could not be switched on.
 */
final class DeviceForwarding {
    private static final Logger LOG = Logger.getLogger(DeviceForwarding.class.getName());

    /** What this class did to one device, and how many owners hold it. */
    private static final class Held {
        int owners;
        boolean v4Changed;
        boolean v6Changed;
    }

    private final Supplier<LinkConfigurator> link;
    private final Ipv6Forwarding ipv6;
    private final Map<String, Held> devices = new HashMap<>();
    private final Map<String, List<String>> byOwner = new LinkedHashMap<>();
    private boolean ipv6Warned;

    DeviceForwarding(Supplier<LinkConfigurator> link, Ipv6Forwarding ipv6) {
        this.link = link;
        this.ipv6 = ipv6;
    }

    /** Switches forwarding on for {@code list} on behalf of {@code owner} (a tunnel name). */
    void acquire(String owner, List<String> list) {
        release(owner);
        if (list.isEmpty()) {
            return;
        }
        byOwner.put(owner, List.copyOf(list));
        for (String dev : list) {
            Held h = devices.computeIfAbsent(dev, d -> new Held());
            if (h.owners++ == 0) {
                enable(owner, dev, h);
            }
        }
    }

    /** Drops {@code owner}'s hold; devices nobody holds any more get their old setting back. */
    void release(String owner) {
        List<String> list = byOwner.remove(owner);
        if (list == null) {
            return;
        }
        for (String dev : list) {
            Held h = devices.get(dev);
            if (h != null && --h.owners == 0) {
                devices.remove(dev);
                restore(dev, h);
            }
        }
    }

    /** Devices held now, for tests and status. */
    Map<String, Integer> held() {
        Map<String, Integer> out = new LinkedHashMap<>();
        devices.forEach((d, h) -> out.put(d, h.owners));
        return out;
    }

    private void enable(String owner, String dev, Held h) {
        try {
            LinkConfigurator l = link.get();
            if (!l.ipv4Forwarding(dev)) {
                l.setIpv4Forwarding(dev, true);
                h.v4Changed = true;
                LOG.info(owner + ": IPv4 forwarding on for " + dev);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, owner + ": cannot switch IPv4 forwarding on for " + dev + ": " + e.getMessage());
        }
        if (ipv6.allForwarding().orElse(false)) {
            return;
        }
        Optional<Boolean> force = ipv6.forceForwarding(dev);
        if (force.isPresent() && force.get()) {
            return;
        }
        try {
            if (force.isEmpty()) {
                throw new IOException("no readable force_forwarding (Linux 6.17+ and a readable /proc/sys needed)");
            }
            ipv6.setForceForwarding(dev, true);
            h.v6Changed = true;
            LOG.info(owner + ": IPv6 forwarding on for " + dev);
        } catch (IOException | RuntimeException e) {
            if (!ipv6Warned) {
                ipv6Warned = true;
                LOG.warning(owner + ": IPv6 is not forwarded through " + dev + " (" + e.getMessage() + "). rtnetlink"
                        + " cannot set IPv6 forwarding and /proc/sys is read-only under the hardened unit: set"
                        + " net.ipv6.conf.all.forwarding = 1 in /etc/sysctl.d/ if IPv6 must be routed");
            }
        }
    }

    private void restore(String dev, Held h) {
        if (h.v4Changed) {
            try {
                link.get().setIpv4Forwarding(dev, false);
                LOG.info("IPv4 forwarding back off for " + dev);
            } catch (RuntimeException e) {
                // The tunnel's own device is gone once the tunnel closed: nothing left to restore.
                LOG.log(Level.FINE, "restoring IPv4 forwarding of " + dev + ": " + e.getMessage());
            }
        }
        if (h.v6Changed) {
            try {
                ipv6.setForceForwarding(dev, false);
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.FINE, "restoring IPv6 forwarding of " + dev + ": " + e.getMessage());
            }
        }
    }
}
