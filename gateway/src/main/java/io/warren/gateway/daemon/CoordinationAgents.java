package io.warren.gateway.daemon;

import io.warren.gateway.config.InterfaceConfig;
import io.warren.gateway.config.NatTraversalConfig;
import io.warren.gateway.config.PeerConfig;
import io.warren.gateway.control.meters.MeterGroup;
import io.warren.gateway.control.meters.MeterTags;
import io.warren.gateway.control.meters.Meters;
import io.warren.gateway.nat.CoordCounters;
import io.warren.gateway.nat.CoordDropReason;
import io.warren.gateway.nat.CoordinationAgent;
import io.warren.gateway.nat.HubCoordinator;
import io.warren.gateway.nat.MappingBehaviour;
import io.warren.gateway.nat.PeerPath;
import io.warren.gateway.nat.SpokeCoordinator;
import io.warren.gateway.transport.WireGuardInterface;
import io.warren.gateway.uapi.UapiKey;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * One {@link CoordinationAgent} per running WireGuard interface that takes part in hole punching: a
 * hub ({@code [nat-traversal] hub = true}) introduces its Warren spokes to each other, a spoke (an
 * interface with a peer marked {@code hub = true}) punches holes to the spokes it is introduced
 * to and falls back to the hub. Meters per interface: {@code
 * warren_nat_coordination_{accepted,sent,dropped{reason}}_total}, {@code
 * warren_nat_introductions_deferred_total} (a hub's introductions held back by its pacing), {@code
 * warren_nat_probes_deferred_total} (a spoke's probes put off because both NATs are symmetric) and
 * {@code warren_nat_spokes{path}} (introduced spokes by path; per-peer paths are in {@code
 * warren_peer_path}). A spoke tells its hub its NAT mapping behaviour from its {@link StunAgents}.
 *
 * <p>Threading: the NAT timer thread only.
 */
final class CoordinationAgents implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(CoordinationAgents.class.getName());

    /** What an agent is built from: when it changes, the agent is built again (else it carries on). */
    private record Role(boolean hub, Set<UapiKey> hubs, UapiKey self, Optional<InetAddress> address) {
        static Role of(InterfaceConfig ic, NatTraversalConfig nat) {
            Set<UapiKey> hubs = new HashSet<>();
            for (PeerConfig pc : ic.peers()) {
                if (pc.hub()) {
                    hubs.add(UapiKey.of(pc.publicKey().toBytes()));
                }
            }
            Optional<InetAddress> address = ic.addresses().stream().map(a -> a.address())
                    .min(Comparator.comparing(a -> a instanceof Inet4Address ? 0 : 1)); // IPv4 first, else IPv6
            return new Role(nat.hub(), Set.copyOf(hubs), UapiKey.of(ic.publicKey().toBytes()), address);
        }
    }

    private record Coordination(CoordinationAgent agent, MeterGroup meters, RunningInterface ri, Role role) {
        void close() {
            ri.overlay(null);
            agent.close();
            meters.close();
        }
    }

    private final Meters meters;
    private final LongSupplier clock;
    private final NatTraversalService.Settings settings;
    private final Function<WireGuardInterface, MappingBehaviour> mapping;
    private final Map<WireGuardInterface, Coordination> coordination = new HashMap<>();
    /**
     * The interfaces and settings the agents were last brought in step with: roles derive from the
     * configurations only, so while both are the same instances (see {@link
     * WireGuardService#interfaces}) a tick only runs the agents.
     */
    private Map<String, RunningInterface> syncedRunning;
    private NatTraversalConfig syncedNat;

    /** @param mapping the NAT mapping behaviour STUN sees for an interface now */
    CoordinationAgents(Meters meters, LongSupplier clock, NatTraversalService.Settings settings,
                       Function<WireGuardInterface, MappingBehaviour> mapping) {
        this.meters = meters;
        this.clock = clock;
        this.settings = settings;
        this.mapping = mapping;
    }

    /** Brings the agents in step with the running interfaces and {@code nat}, then runs them. */
    void tick(Map<String, RunningInterface> running, NatTraversalConfig nat, long wallNow) {
        if (running != syncedRunning || nat != syncedNat) {
            sync(running, nat, wallNow);
            syncedRunning = running;
            syncedNat = nat;
        }
        for (Coordination c : coordination.values()) {
            c.agent().tick();
        }
    }

    /** True when no interface takes part in hole punching (a tick then does nothing). */
    boolean idle() {
        return coordination.isEmpty();
    }

    /** Builds, keeps or closes each interface's agent by its role (walks every configured peer). */
    private void sync(Map<String, RunningInterface> running, NatTraversalConfig nat, long wallNow) {
        Map<WireGuardInterface, RunningInterface> live = new HashMap<>();
        for (RunningInterface ri : running.values()) {
            live.put(ri.wireGuard(), ri);
        }
        coordination.entrySet().removeIf(e -> {
            RunningInterface ri = live.get(e.getKey());
            Coordination c = e.getValue();
            if (ri == null || ri != c.ri() || !c.role().equals(Role.of(ri.config(), nat))) {
                c.close();
                return true;
            }
            return false;
        });
        for (RunningInterface ri : live.values()) {
            if (!coordination.containsKey(ri.wireGuard())) {
                newCoordination(ri, nat, wallNow).ifPresent(c -> coordination.put(ri.wireGuard(), c));
            }
        }
    }

    /** The agent of each interface by name, for status and tests. */
    Map<String, CoordinationAgent> agents() {
        Map<String, CoordinationAgent> out = new HashMap<>();
        coordination.forEach((wg, c) -> out.put(wg.name(), c.agent()));
        return out;
    }

    private Optional<Coordination> newCoordination(RunningInterface ri, NatTraversalConfig nat, long wallNow) {
        InterfaceConfig ic = ri.config();
        Role role = Role.of(ic, nat);
        Set<UapiKey> hubs = role.hubs();
        if (!nat.hub() && hubs.isEmpty()) {
            return Optional.empty();
        }
        Optional<InetAddress> address = role.address();
        if (address.isEmpty()) {
            LOG.warning(ic.name() + ": hole punching needs a tunnel address; not coordinating");
            return Optional.empty();
        }
        long micros = wallNow / 1000;
        CoordCounters counters = new CoordCounters();
        HubCoordinator hub = nat.hub()
                ? new HubCoordinator(micros, settings.pacing(), 6 * settings.spokeTiming().helloEvery(), counters)
                : null;
        SpokeCoordinator spoke = hubs.isEmpty() ? null
                : new SpokeCoordinator(UapiKey.of(ic.publicKey().toBytes()), hubs, micros, settings.spokeTiming(), counters);
        CoordinationAgent agent = new CoordinationAgent(ri.wireGuard(), address.get(), ri::configuredState, clock,
                hub, spoke, hubs, counters, () -> mapping.apply(ri.wireGuard()));
        MeterGroup g = new MeterGroup(meters, MeterTags.of("interface", ic.name()));
        g.counter("warren.nat.coordination.accepted", "Hub coordination messages accepted", null, MeterTags.empty(),
                counters, CoordCounters::accepted);
        g.counter("warren.nat.coordination.sent", "Hub coordination messages sent", null, MeterTags.empty(),
                counters, CoordCounters::sent);
        g.counter("warren.nat.introductions.deferred", "Introductions the hub held back by its pacing", null,
                MeterTags.empty(), counters, CoordCounters::deferred);
        g.counter("warren.nat.probes.deferred", "Direct-path probes put off: both NATs map endpoint-dependently",
                null, MeterTags.empty(), counters, CoordCounters::probesDeferred);
        for (CoordDropReason r : CoordDropReason.values()) {
            g.counter("warren.nat.coordination.dropped", "Hub coordination messages ignored, by reason", null,
                    MeterTags.of("reason", r.name().toLowerCase(Locale.ROOT)), counters, c -> c.dropped(r));
        }
        for (PeerPath path : PeerPath.values()) {
            g.gauge("warren.nat.spokes", "Spokes the hub introduced, by current path", null,
                    MeterTags.of("path", path.label()), agent, a -> a.remotes().stream().filter(r -> r.path() == path).count());
        }
        LOG.info(ic.name() + ": hole punching as " + (hub != null && spoke != null ? "hub and spoke"
                : hub != null ? "hub" : "spoke"));
        ri.overlay(agent::overlay);
        return Optional.of(new Coordination(agent, g, ri, role));
    }

    /** Closes every agent (rebuilt at the next tick). */
    @Override
    public void close() {
        coordination.values().forEach(Coordination::close);
        coordination.clear();
        syncedRunning = null;
        syncedNat = null;
    }
}
