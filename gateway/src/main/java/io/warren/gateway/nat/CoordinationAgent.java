package io.warren.gateway.nat;

import io.warren.crypto.primitives.NoisePublicKey;
import io.warren.gateway.transport.InnerTap;
import io.warren.gateway.transport.WgPeer;
import io.warren.gateway.transport.WireGuardInterface;
import io.warren.gateway.uapi.DeviceState;
import io.warren.gateway.uapi.PeerState;
import io.warren.gateway.uapi.UapiKey;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The shell of hole punching on one WireGuard interface: an {@link InnerTap} takes coordination
 * packets off the decrypted stream (with the authenticated sender's key) into a bounded queue that
 * is fair between senders, {@link CoordInbox} (on a hub it also notes which spoke sends to which
 * address, {@link RelayedFlows}), and
 * {@link #tick} (the NAT timer thread) feeds them to the {@link HubCoordinator} and/or
 * {@link SpokeCoordinator}, sends what they ask for with {@link WireGuardInterface#sendInner}, and
 * applies the spoke's {@link PathOverlay} with {@link WireGuardInterface#reconcile} (again every
 * second, so that a reload, which reconciles the plain configuration, is overlaid again).
 *
 * <p>Threading: the tap runs on the interface's receive thread under its lock and only decodes and
 * queues (it must not call back into the interface); everything else runs on the caller's thread.
 */
public final class CoordinationAgent implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(CoordinationAgent.class.getName());
    private static final int QUEUE = 256;
    /** Messages one sender may have waiting: more than a hub's per-spoke burst between two ticks. */
    private static final int QUEUE_PER_SENDER = 16;
    private static final long REAPPLY_NANOS = 1_000_000_000L;

    private final WireGuardInterface wg;
    private final InetAddress tunnelAddress;
    private final Supplier<DeviceState> base;
    private final LongSupplier clock;
    private final HubCoordinator hub;
    private final SpokeCoordinator spoke;
    private final Set<UapiKey> hubs;
    private final CoordCounters counters;
    private final Supplier<MappingBehaviour> mapping;
    private final RelayedFlows flows;
    private final InnerTap tap;
    private final CoordInbox queue = new CoordInbox(QUEUE, QUEUE_PER_SENDER);
    private PrefixOwners owners;
    private volatile List<SpokeCoordinator.Remote> published = List.of();
    private DeviceState applied;
    private long appliedAt;
    private long probedAt;

    /**
     * @param tunnelAddress our tunnel address, IPv4 or IPv6 (source of coordination packets)
     * @param base          the configured device state (resolved endpoints), without the overlay
     * @param hub           the hub role, or null
     * @param spoke         the spoke role, or null
     * @param hubs          the peers configured with {@code hub = true}
     * @param mapping       our NAT's mapping behaviour as STUN judges it now (UNKNOWN without STUN)
     */
    public CoordinationAgent(WireGuardInterface wg, InetAddress tunnelAddress, Supplier<DeviceState> base,
                             LongSupplier clock, HubCoordinator hub, SpokeCoordinator spoke, Set<UapiKey> hubs,
                             CoordCounters counters, Supplier<MappingBehaviour> mapping) {
        this.wg = wg;
        this.tunnelAddress = tunnelAddress;
        this.base = base;
        this.clock = clock;
        this.hub = hub;
        this.spoke = spoke;
        this.hubs = Set.copyOf(hubs);
        this.counters = counters;
        this.mapping = mapping;
        this.flows = hub == null ? null : new RelayedFlows();
        this.tap = tap();
        PeerPaths.claim(wg.name(), this);
        wg.setInnerTap(tap);
    }

    /**
     * Coordination messages are taken off before cryptokey routing (they are for the gateway, and
     * authenticated by the session and TTL 255); a hub notes relayed flows only from packets that
     * passed the allowed-IPs source check, so a spoke cannot make the hub introduce it to another
     * spoke with packets the hub then drops.
     */
    private InnerTap tap() {
        return new InnerTap() {
            @Override
            public boolean offer(NoisePublicKey from, ByteBuffer packet) {
                if (!CoordCodec.isCoordination(packet)) {
                    return false;
                }
                CoordDecodeResult r = CoordCodec.decode(packet);
                if (r instanceof CoordDecodeResult.Decoded d) {
                    if (!queue.offer(UapiKey.of(from.bytes()), d.message())) {
                        counters.drop(CoordDropReason.QUEUE_FULL);
                    }
                } else {
                    counters.drop(CoordDropReason.MALFORMED);
                }
                return true;
            }

            @Override
            public void delivered(NoisePublicKey from, ByteBuffer packet) {
                if (flows != null) {
                    flows.offer(from, packet);
                }
            }
        };
    }

    /** Handles queued messages, sends what is due and applies the path overlay. */
    public synchronized void tick() {
        long now = clock.getAsLong();
        for (CoordInbox.Received r; (r = queue.poll()) != null; ) {
            if (hub != null && r.message() instanceof CoordMessage.Hello && !hubs.contains(r.from())) {
                hub.receive(r.from(), r.message(), now);
            } else if (spoke != null) {
                spoke.receive(r.from(), r.message(), now);
            } else {
                counters.drop(CoordDropReason.UNEXPECTED);
            }
        }
        DeviceState configured = base.get();
        if (hub != null) {
            hubTick(now, configured);
        }
        if (spoke != null) {
            spokeTick(now, configured);
        }
    }

    private void hubTick(long now, DeviceState configured) {
        owners = PrefixOwners.of(configured, owners);
        for (RelayedFlows.Flow f : flows.drain()) {
            UapiKey to = owners.owner(f);
            if (to != null) {
                hub.relayed(f.from(), to, now);
            }
        }
        Map<UapiKey, WgPeer> live = livePeers();
        List<HubCoordinator.Spoke> spokes = new ArrayList<>();
        for (PeerState ps : configured.peers()) {
            WgPeer p = live.get(ps.publicKey());
            spokes.add(new HubCoordinator.Spoke(ps.publicKey(),
                    Optional.ofNullable(p == null ? null : p.endpoint()), ps.allowedIps()));
        }
        for (HubCoordinator.Outgoing o : hub.tick(now, spokes)) {
            send(o.to(), o.message());
        }
    }

    private void spokeTick(long now, DeviceState configured) {
        spoke.selfMapping(mapping.get());
        for (CoordMessage.Hello h : spoke.hello(now)) {
            for (UapiKey k : hubs) {
                send(k, h);
            }
        }
        Map<UapiKey, WgPeer> live = livePeers();
        Map<UapiKey, SpokeCoordinator.Observation> observed = new HashMap<>();
        long wallNow = wallNanos();
        for (SpokeCoordinator.Remote r : spoke.remotes()) {
            WgPeer p = live.get(r.key());
            if (p != null) {
                long hs = p.lastHandshakeWallNanos();
                observed.put(r.key(), new SpokeCoordinator.Observation(hs != 0, now - (wallNow - hs), p.rxBytes()));
            }
        }
        boolean changed = spoke.tick(now, observed);
        List<SpokeCoordinator.Remote> remotes = spoke.remotes();
        if (now - probedAt >= REAPPLY_NANOS) { // a packet to a probed spoke starts (and repeats) the handshake
            probedAt = now;
            for (SpokeCoordinator.Remote r : remotes) {
                if (r.path() == PeerPath.PROBING && live.containsKey(r.key())) {
                    send(r.key(), new CoordMessage.Hello(0));
                }
            }
        }
        PeerPaths.publish(wg.name(), this, remotes);
        published = remotes;
        DeviceState want = PathOverlay.apply(configured, hubs, remotes);
        if (changed || !want.equals(applied) || now - appliedAt > REAPPLY_NANOS) {
            try {
                wg.reconcile(want);
                if (changed) {
                    LOG.info(wg.name() + ": paths " + describe(remotes));
                }
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, wg.name() + ": applying the path overlay: " + e.getMessage());
            }
            applied = want;
            appliedAt = now;
        }
    }

    private String describe(List<SpokeCoordinator.Remote> remotes) {
        StringBuilder sb = new StringBuilder();
        for (SpokeCoordinator.Remote r : remotes) {
            sb.append(sb.length() == 0 ? "" : ", ")
                    .append(NoisePublicKey.fromBytes(r.key().bytes()).toBase64(), 0, 8).append("...=")
                    .append(r.path().label());
        }
        return sb.toString();
    }

    private void send(UapiKey to, CoordMessage m) {
        ByteBuffer packet = CoordCodec.encode(m, tunnelAddress, tunnelAddress);
        if (wg.sendInner(NoisePublicKey.fromBytes(to.bytes()), packet)) {
            counters.countSent();
        }
    }

    private Map<UapiKey, WgPeer> livePeers() {
        Map<UapiKey, WgPeer> out = new HashMap<>();
        for (WgPeer p : wg.peers()) {
            out.put(UapiKey.of(p.publicKey().bytes()), p);
        }
        return out;
    }

    /**
     * {@code base} with the dynamic peers of the latest tick ({@link PathOverlay}): what a reload
     * reconciles, so that it keeps punched paths. Any thread.
     */
    public DeviceState overlay(DeviceState base) {
        return spoke == null ? base : PathOverlay.apply(base, hubs, published);
    }

    /** The introduced spokes and their paths (spoke role), for status. */
    public synchronized List<SpokeCoordinator.Remote> remotes() {
        return spoke == null ? List.of() : spoke.remotes();
    }

    public CoordCounters counters() {
        return counters;
    }

    public WireGuardInterface wireGuard() {
        return wg;
    }

    private static long wallNanos() {
        java.time.Instant i = java.time.Instant.now();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    /**
     * Removes the tap and the published paths (the overlay stays until the next reconcile); both
     * only if still this agent's, so an old agent closed after its replacement started (a reload)
     * leaves the new one's alone.
     */
    @Override
    public void close() {
        wg.removeInnerTap(tap); // a newer agent on the same interface keeps its tap
        PeerPaths.clear(wg.name(), this);
    }
}
