package io.warren.gateway.daemon;

import io.micrometer.core.instrument.MeterRegistry;
import io.warren.gateway.config.ConfigDiff;
import io.warren.gateway.config.NatTraversalConfig;
import io.warren.gateway.config.WarrenConfig;
import io.warren.gateway.control.StatusReport;
import io.warren.gateway.control.meters.Meters;
import io.warren.gateway.nat.CoordinationAgent;
import io.warren.gateway.nat.EndpointRefresh;
import io.warren.gateway.nat.HubCoordinator;
import io.warren.gateway.nat.SpokeCoordinator;
import io.warren.gateway.nat.StunAgent;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * NAT traversal for the running WireGuard interfaces, on one timer thread ({@code warren-nat},
 * every 100 ms; asleep while none of the parts has anything to do, woken by start and reload) that
 * runs three parts in turn:
 *
 * <ol>
 *   <li>{@link StunAgents}: with {@code [nat-traversal] stun-servers}, each interface learns its
 *       server-reflexive address and NAT mapping behaviour from its own WireGuard port (shown by
 *       {@code warren status} through {@link #status} and in the {@code warren_nat_*} meters);</li>
 *   <li>{@link CoordinationAgents}: a hub ({@code [nat-traversal] hub = true}) introduces its
 *       Warren spokes to each other and a spoke (a peer with {@code hub = true}) punches holes to the
 *       spokes it is introduced to, falling back to the hub;</li>
 *   <li>{@link EndpointReresolver} (every second): endpoint host names are resolved again
 *       ({@link EndpointRefresh}) without dropping sessions.</li>
 * </ol>
 *
 * Persistent keepalive itself is the protocol core's. A reload that changes the STUN servers
 * rebuilds the STUN agents at the next tick; hole-punching agents carry on (with their punched
 * paths, which the interface keeps through the reload) unless the interface's role changed.
 */
public final class NatTraversalService implements Service {
    private static final Logger LOG = Logger.getLogger(NatTraversalService.class.getName());
    private static final long TICK_MILLIS = 100;
    private static final long RESOLVE_EVERY_TICKS = 10;

    /**
     * Intervals; tests shorten them. {@code introduceEveryNanos} is how often a hub repeats an
     * introduction while it still relays the pair's traffic (the rest of its pacing is {@link
     * HubCoordinator.Pacing#STANDARD}).
     */
    public record Settings(long stunRoundNanos, long refreshPeriodNanos, long quietNanos, long quietRetryNanos,
                           long introduceEveryNanos, SpokeCoordinator.Timing spokeTiming) {
        public static final Settings STANDARD = new Settings(TimeUnit.SECONDS.toNanos(60),
                EndpointRefresh.PERIOD_NANOS, EndpointRefresh.QUIET_NANOS, EndpointRefresh.QUIET_RETRY_NANOS,
                HubCoordinator.Pacing.STANDARD.refreshEvery(), SpokeCoordinator.Timing.STANDARD);

        /** The hub's pacing with these settings' refresh interval. */
        HubCoordinator.Pacing pacing() {
            HubCoordinator.Pacing p = HubCoordinator.Pacing.STANDARD;
            return new HubCoordinator.Pacing(introduceEveryNanos, p.pairIdleAfter(), p.perSpoke(), p.overall(),
                    p.maxPairs());
        }
    }

    private final WireGuardService wireguard;
    private final LongSupplier clock = System::nanoTime;
    private final StunAgents stun;
    private final CoordinationAgents coordination;
    private final EndpointReresolver reresolver;
    private volatile ScheduledExecutorService timer;
    private volatile NatTraversalConfig nat = NatTraversalConfig.DEFAULT;
    private long ticks;
    /**
     * The interfaces and NAT settings for which a whole tick found nothing to do (no STUN servers,
     * no hub or hub peer, no endpoint host name): while both are the same instances, a tick returns
     * at once (see {@link WireGuardService#interfaces}: a new map after every reload).
     */
    private Map<String, RunningInterface> idleRunning;
    private NatTraversalConfig idleNat;
    /** A run of the timer is queued or in progress (guarded by this). */
    private boolean scheduled;

    public NatTraversalService(WireGuardService wireguard, MeterRegistry registry,
                               Function<String, Optional<InetAddress>> resolver, Settings settings) {
        this(wireguard, Meters.on(registry), resolver, settings);
    }

    /** As above, the meters on {@code meters}' registry once metrics are on. */
    public NatTraversalService(WireGuardService wireguard, Meters meters,
                               Function<String, Optional<InetAddress>> resolver, Settings settings) {
        this.wireguard = wireguard;
        this.stun = new StunAgents(meters, resolver, new SecureRandom(), clock, settings.stunRoundNanos());
        this.coordination = new CoordinationAgents(meters, clock, settings, stun::mapping);
        this.reresolver = new EndpointReresolver(resolver, settings);
    }

    /** The production service: the system resolver, standard intervals. */
    public static NatTraversalService standard(WireGuardService wireguard, Meters meters) {
        return new NatTraversalService(wireguard, meters, InterfaceStates::lookup, Settings.STANDARD);
    }

    @Override
    public String name() {
        return "nat-traversal";
    }

    @Override
    public void start(WarrenConfig config) {
        nat = config.natTraversal();
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "warren-nat");
            t.setDaemon(true);
            return t;
        });
        wake();
    }

    /**
     * Runs the timer unless it already runs. Interfaces and settings change only through start and
     * apply, and the daemon applies a reload to the WireGuard service before this one: waking here
     * is enough for a timer that stopped while NAT traversal was unused.
     */
    private synchronized void wake() {
        if (!scheduled && timer != null) {
            try {
                timer.execute(this::run);
                scheduled = true;
            } catch (RejectedExecutionException e) {
                // closing: the timer is shut down
            }
        }
    }

    /** One tick on the timer thread, then the next in 100 ms; none while a tick finds nothing to do. */
    private synchronized void run() {
        if (tick()) {
            scheduled = false; // idle: no wakeups at all until apply wakes the timer
        } else {
            ScheduledExecutorService t = timer;
            try {
                if (t != null) {
                    t.schedule(this::run, TICK_MILLIS, TimeUnit.MILLISECONDS);
                    return;
                }
            } catch (RejectedExecutionException e) {
                // closing: the timer is shut down
            }
            scheduled = false;
        }
    }

    @Override
    public void apply(WarrenConfig previous, WarrenConfig next, ConfigDiff diff) {
        NatTraversalConfig before = nat;
        nat = next.natTraversal();
        if (!before.stunServers().equals(nat.stunServers()) && timer != null) {
            timer.execute(this::closeStun); // rebuilt with the new servers on the next tick
        }
        wake();
    }

    /** The STUN view of each interface by name, for tests. */
    public synchronized Map<String, StunAgent> stun() {
        return stun.agents();
    }

    /** What STUN found out per interface name, for {@code warren status}. Any thread, never blocks. */
    public Map<String, StatusReport.Nat> status() {
        return stun.status();
    }

    /** The hole-punching agent of each interface by name (hubs and spokes only), for status and tests. */
    public synchronized Map<String, CoordinationAgent> coordination() {
        return coordination.agents();
    }

    /**
     * One tick; package-private for tests (the timer thread calls it in production).
     *
     * @return true when NAT traversal is unused with the current interfaces and settings
     */
    synchronized boolean tick() {
        try {
            Map<String, RunningInterface> running = wireguard.interfaces();
            NatTraversalConfig current = nat;
            if (running == idleRunning && current == idleNat) {
                return true; // NAT traversal unused with this configuration: no work, no allocation
            }
            long wallNow = wallNanos();
            if (!stun.idle(current)) {
                stun.tick(running.values().stream().map(RunningInterface::wireGuard).toList(), current, wallNow);
            }
            coordination.tick(running, current, wallNow);
            if (ticks++ % RESOLVE_EVERY_TICKS == 0) {
                reresolver.tick(running, clock.getAsLong(), wallNow);
            }
            boolean idle = stun.idle(current) && coordination.idle() && !EndpointReresolver.anyHostName(running);
            idleRunning = idle ? running : null;
            idleNat = idle ? current : null;
            return idle;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "nat-traversal tick failed", e);
            return false;
        }
    }

    private synchronized void closeStun() {
        idleRunning = null;
        stun.close();
    }

    private synchronized void closeAgents() {
        idleRunning = null;
        stun.close();
        coordination.close();
    }

    static long wallNanos() {
        Instant i = Instant.now();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
            try {
                timer.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            timer = null;
        }
        closeAgents();
    }
}
