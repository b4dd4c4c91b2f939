package io.warren.gateway.daemon;

import io.warren.gateway.config.Endpoint;
import io.warren.gateway.config.NatTraversalConfig;
import io.warren.gateway.control.StatusReport;
import io.warren.gateway.control.meters.MeterGroup;
import io.warren.gateway.control.meters.MeterTags;
import io.warren.gateway.control.meters.Meters;
import io.warren.gateway.nat.MappingBehaviour;
import io.warren.gateway.nat.StunAgent;
import io.warren.gateway.nat.StunDropReason;
import io.warren.gateway.transport.WireGuardInterface;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.logging.Logger;
import java.util.random.RandomGenerator;

/**
 * One {@link StunAgent} per running WireGuard interface while {@code [nat-traversal] stun-servers}
 * is set (RFC 8489 Binding from the WireGuard port), with its meters: {@code
 * warren_nat_stun_requests_total}, {@code warren_nat_stun_responses_total}, {@code
 * warren_nat_stun_dropped_total{reason}}, {@code warren_nat_mapping{behaviour}} (1 for the current
 * one) and {@code warren_nat_reflexive{address}} (1, the current server-reflexive address). What the
 * agents learnt is published for {@code warren status} ({@link #status}).
 *
 * <p>Threading: {@link #tick} and {@link #close} on the NAT timer thread; {@link #status} from any
 * thread (a snapshot published at each tick).
 */
final class StunAgents implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(StunAgents.class.getName());

    private static final class Agent {
        final StunAgent stun;
        final MeterGroup meters;
        MeterGroup reflexive;
        InetSocketAddress shown;
        StatusReport.Nat status;
        Optional<Long> statusAnswered;
        Map<InetSocketAddress, InetSocketAddress> statusAnswers;

        Agent(StunAgent stun, MeterGroup meters) {
            this.stun = stun;
            this.meters = meters;
        }
    }

    private final Meters meters;
    private final Function<String, Optional<InetAddress>> resolver;
    private final RandomGenerator random;
    private final LongSupplier clock;
    private final long roundNanos;
    private final Map<WireGuardInterface, Agent> agents = new HashMap<>();
    private NatTraversalConfig serversFor;
    private List<InetSocketAddress> servers = List.of();
    private volatile Map<String, StatusReport.Nat> published = Map.of();

    StunAgents(Meters meters, Function<String, Optional<InetAddress>> resolver, RandomGenerator random,
               LongSupplier clock, long roundNanos) {
        this.meters = meters;
        this.resolver = resolver;
        this.random = random;
        this.clock = clock;
        this.roundNanos = roundNanos;
    }

    /** Brings the agents in step with the running interfaces and {@code nat}, then runs them. */
    void tick(Collection<WireGuardInterface> running, NatTraversalConfig nat, long wallNow) {
        List<InetSocketAddress> wanted = servers(nat);
        Set<WireGuardInterface> live = new HashSet<>(running);
        agents.entrySet().removeIf(e -> {
            if (!live.contains(e.getKey()) || wanted.isEmpty()) {
                close(e.getValue());
                return true;
            }
            return false;
        });
        if (!wanted.isEmpty()) {
            for (WireGuardInterface wg : live) {
                agents.computeIfAbsent(wg, w -> newAgent(w, wanted));
            }
        }
        Map<String, StatusReport.Nat> status = new HashMap<>();
        for (Agent a : agents.values()) {
            a.stun.tick();
            showReflexive(a);
            status.put(a.stun.wireGuard().name(), status(a, wallNow));
        }
        published = Map.copyOf(status);
    }

    /**
     * True when {@link #tick} has nothing to do with {@code nat}: no STUN servers configured and no
     * agent left to close (a tick with no servers closes every agent and publishes an empty status).
     */
    boolean idle(NatTraversalConfig nat) {
        return agents.isEmpty() && published.isEmpty() && servers(nat).isEmpty();
    }

    /** The agent of each interface by name, for tests. */
    Map<String, StunAgent> agents() {
        Map<String, StunAgent> out = new HashMap<>();
        agents.forEach((wg, a) -> out.put(wg.name(), a.stun));
        return out;
    }

    /** The mapping behaviour STUN judged for {@code wg} (UNKNOWN without an agent). Timer thread. */
    MappingBehaviour mapping(WireGuardInterface wg) {
        Agent a = agents.get(wg);
        return a == null ? MappingBehaviour.UNKNOWN : a.stun.behaviour();
    }

    /** What STUN found out per interface name, for {@code warren status}. Any thread. */
    Map<String, StatusReport.Nat> status() {
        return published;
    }

    /** The configured STUN servers, resolved once per configuration. */
    private List<InetSocketAddress> servers(NatTraversalConfig nat) {
        if (nat == serversFor) {
            return servers;
        }
        serversFor = nat;
        List<InetSocketAddress> out = new ArrayList<>();
        for (Endpoint e : nat.stunServers()) {
            resolver.apply(e.host()).ifPresent(a -> out.add(new InetSocketAddress(a, e.port())));
        }
        servers = List.copyOf(out);
        return servers;
    }

    private Agent newAgent(WireGuardInterface wg, List<InetSocketAddress> to) {
        StunAgent stun = new StunAgent(wg, to, random, clock, roundNanos);
        MeterGroup g = new MeterGroup(meters, MeterTags.of("interface", wg.name()));
        g.counter("warren.nat.stun.requests", "STUN Binding requests sent from the WireGuard port", null,
                MeterTags.empty(), stun, s -> s.counters().requests());
        g.counter("warren.nat.stun.responses", "STUN Binding responses accepted", null,
                MeterTags.empty(), stun, s -> s.counters().responses());
        for (StunDropReason r : StunDropReason.values()) {
            g.counter("warren.nat.stun.dropped", "STUN datagrams ignored, by reason", null,
                    MeterTags.of("reason", r.name().toLowerCase(Locale.ROOT)), stun, s -> s.counters().dropped(r));
        }
        for (MappingBehaviour b : MappingBehaviour.values()) {
            g.gauge("warren.nat.mapping", "NAT mapping behaviour of the WireGuard port (1 for the current one)",
                    null, MeterTags.of("behaviour", b.name().toLowerCase(Locale.ROOT)), stun,
                    s -> s.behaviour() == b ? 1 : 0);
        }
        return new Agent(stun, g);
    }

    private void showReflexive(Agent a) {
        InetSocketAddress now = a.stun.reflexive().orElse(null);
        if (Objects.equals(now, a.shown)) {
            return;
        }
        a.shown = now;
        if (a.reflexive != null) {
            a.reflexive.close();
            a.reflexive = null;
        }
        if (now != null) {
            String text = text(now);
            a.reflexive = new MeterGroup(meters, MeterTags.of("interface", a.stun.wireGuard().name()))
                    .gauge("warren.nat.reflexive", "Server-reflexive address of the WireGuard port (STUN)", null,
                            MeterTags.of("address", text), a, x -> 1);
            LOG.info(a.stun.wireGuard().name() + ": server-reflexive address " + text + ", mapping "
                    + a.stun.behaviour().name().toLowerCase(Locale.ROOT));
        }
    }

    /** The status of one agent; rebuilt only when a new answer arrived (so the check time is stable). */
    private StatusReport.Nat status(Agent a, long wallNow) {
        Optional<Long> answered = a.stun.lastAnswer();
        Map<InetSocketAddress, InetSocketAddress> answers = a.stun.answers();
        if (a.status != null && answered.equals(a.statusAnswered) && answers.equals(a.statusAnswers)) {
            return a.status;
        }
        long lastCheck = answered.map(at -> TimeUnit.NANOSECONDS.toSeconds(
                wallNow - (clock.getAsLong() - at))).orElse(0L);
        Map<String, String> servers = new TreeMap<>();
        answers.forEach((server, seen) -> servers.put(text(server), text(seen)));
        a.status = new StatusReport.Nat(a.stun.reflexive().map(StunAgents::text).orElse(null),
                a.stun.behaviour().name().toLowerCase(Locale.ROOT).replace('_', '-'), lastCheck, -1, servers);
        a.statusAnswered = answered;
        a.statusAnswers = answers;
        return a.status;
    }

    private static String text(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    private static void close(Agent a) {
        a.stun.close();
        a.meters.close();
        if (a.reflexive != null) {
            a.reflexive.close();
        }
    }

    /** Closes every agent (rebuilt at the next tick: after a change of servers). */
    @Override
    public void close() {
        agents.values().forEach(StunAgents::close);
        agents.clear();
        published = Map.of();
    }
}
