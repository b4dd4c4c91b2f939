package io.warren.crypto.session;

import io.warren.crypto.noise.ConsumedInitiation;
import io.warren.crypto.noise.CookieChecker;
import io.warren.crypto.noise.Handshake;
import io.warren.crypto.noise.HandshakeMessage;
import io.warren.crypto.noise.HandshakeRateLimiter;
import io.warren.crypto.noise.IndexTable;
import io.warren.crypto.noise.MessageCookieReply;
import io.warren.crypto.noise.MessageInitiation;
import io.warren.crypto.noise.MessageResponse;
import io.warren.crypto.noise.Parsed;
import io.warren.crypto.noise.StaticIdentity;
import io.warren.crypto.primitives.NoisePublicKey;
import io.warren.crypto.primitives.PresharedKey;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * Device-level dispatch of incoming datagrams to {@link Peer}s (WireGuard whitepaper §5.4: the
 * receiver index routes responses, cookie replies and data; an initiation is routed by the
 * static key it decrypts to), with the mac1/mac2 and cookie check of §5.4.7 in front of every
 * handshake message and, under load, the per-source rate limit on those with a valid cookie (the
 * kernel's {@code VALID_MAC_WITH_COOKIE_BUT_RATELIMITED}, wireguard-go's {@code receive.go}). Owns the index table shared by its peers. Sans-I/O: the shell passes the
 * source address, {@code now} and whether it is under load.
 *
 * <p>Threading: {@code receive} and peer management are called from one thread (or under the
 * shell's lock); each returned {@link Peer} then follows its own confinement rule.
 */
public final class Device {

    /** What the shell does with a received datagram. */
    public sealed interface Received permits Routed, SendCookieReply, Drop {}

    /**
     * The datagram belonged to {@code peer}; act on {@code outcome} as for {@link Peer#decapsulate}.
     * One instance per device, refilled by every {@link #receive} (the data path allocates nothing
     * per packet): valid until the next call.
     */
    public static final class Routed implements Received {
        private Peer peer;
        private Outcome.Decapsulated outcome;

        Routed() {
        }

        Routed set(Peer peer, Outcome.Decapsulated outcome) {
            this.peer = peer;
            this.outcome = outcome;
            return this;
        }

        public Peer peer() {
            return peer;
        }

        public Outcome.Decapsulated outcome() {
            return outcome;
        }

        @Override
        public String toString() {
            return "Routed[outcome=" + outcome + "]";
        }
    }

    /** Under load and without a valid mac2: send {@code reply} to the source (§5.4.7). */
    public record SendCookieReply(ByteBuffer reply) implements Received {}

    /** Dropped before reaching a peer. */
    public record Drop(DropReason reason) implements Received {
        private static final List<Drop> BY_REASON = DropReason.each(Drop::new);

        /** The shared instance for {@code reason} (forged datagrams allocate nothing). */
        public static Drop of(DropReason reason) {
            return BY_REASON.get(reason.ordinal());
        }
    }

    private record Entry(Peer peer, NoiseHandshaker handshaker) {}

    /** Receives the timer actions of one peer during {@link #updateTimers}. */
    @FunctionalInterface
    public interface TimerSink {
        /** {@code peer}'s timers fired {@code actions} (never empty) at {@code now}. */
        void fired(Peer peer, List<Outcome.TimerAction> actions, long now);
    }

    private final StaticIdentity local;
    private final CookieChecker cookieChecker;
    private final HandshakeRateLimiter rateLimiter = new HandshakeRateLimiter();
    private final IndexTable<Peer> indices = new IndexTable<>();
    private final Map<NoisePublicKey, Entry> peers = new HashMap<>();
    private final SecureRandom random;
    private final LongSupplier wallClockNanos;
    /** The one {@link Routed} every receive refills. */
    private final Routed routed = new Routed();
    /** The earliest deadline any peer armed (a lower bound): idle ticks look at nothing else. */
    private final NextDeadline nextDeadline = new NextDeadline();

    public Device(StaticIdentity local, SecureRandom random, LongSupplier wallClockNanos) {
        this.local = local;
        this.cookieChecker = new CookieChecker(local);
        this.random = random;
        this.wallClockNanos = wallClockNanos;
    }

    /**
     * Adds (or replaces) the peer with static key {@code remoteStatic}. A replaced peer's sessions
     * end, but its initiation replay history carries over (§5.4.2: the newest TAI64N consumed),
     * as the kernel and wireguard-go keep it across a change of PSK or keepalive.
     */
    public Peer addPeer(NoisePublicKey remoteStatic, PresharedKey psk, PeerConfig config) {
        Entry replaced = peers.get(remoteStatic);
        removePeer(remoteStatic);
        NoiseHandshaker handshaker = new NoiseHandshaker(local, remoteStatic, psk, random);
        if (replaced != null) {
            handshaker.handshake().inheritReplayHistory(replaced.handshaker().handshake());
        }
        Peer[] owner = new Peer[1];
        IndexAllocator allocator = new IndexAllocator() {
            @Override
            public int allocate() {
                return indices.allocate(owner[0], random);
            }

            @Override
            public void release(int index) {
                indices.remove(index, owner[0]);
            }
        };
        owner[0] = new Peer(handshaker, allocator, jitterSource(random), wallClockNanos, config, nextDeadline);
        peers.put(remoteStatic, new Entry(owner[0], handshaker));
        return owner[0];
    }

    /**
     * The peer's source of timer jitter: a fast generator seeded from {@code random}. Jitter only
     * spreads retries (whitepaper §6.1; wireguard-go draws it from a non-cryptographic generator)
     * and is drawn for every data packet sent while no reply is outstanding, i.e. once per packet
     * of a request/response exchange: a {@link SecureRandom} there costs a synchronised call and,
     * after 100 ms without one (NativePRNG), a read of {@code /dev/urandom} on the data path.
     * The peer is called from one thread at a time, so an unsynchronised generator is enough.
     */
    static RandomGenerator jitterSource(SecureRandom random) {
        return new SplittableRandom(random.nextLong());
    }

    /**
     * Removes a peer, zeroing its keypairs and handshake and freeing every index it held (those of
     * its keypairs and of an initiation in flight, so that nothing routes to the removed peer);
     * false if unknown.
     */
    public boolean removePeer(NoisePublicKey remoteStatic) {
        Entry entry = peers.remove(remoteStatic);
        if (entry == null) {
            return false;
        }
        entry.peer().close();
        return true;
    }

    /** The peer with static key {@code remoteStatic}, or null. */
    public Peer peer(NoisePublicKey remoteStatic) {
        Entry entry = peers.get(remoteStatic);
        return entry == null ? null : entry.peer();
    }

    /**
     * True when a §6 timer of some peer may have expired by {@code now}, so that
     * {@link #updateTimers} is worth its walk over every peer. O(1): the shell's fixed tick asks this
     * first, and with nothing armed or nothing due (an idle table of any size) does nothing else.
     */
    public boolean timersDue(long now) {
        return nextDeadline.due(now);
    }

    /**
     * Runs {@link Peer#updateTimers} on every peer and hands the actions of those whose timers fired
     * to {@code sink}; afterwards {@link #timersDue} knows the earliest deadline still armed.
     */
    public void updateTimers(long now, TimerSink sink) {
        nextDeadline.clear();
        boolean walked = false;
        try {
            for (Entry e : peers.values()) {
                List<Outcome.TimerAction> actions = e.peer().updateTimers(now);
                if (!actions.isEmpty()) {
                    sink.fired(e.peer(), actions, now);
                }
            }
            walked = true;
        } finally {
            if (!walked) {
                nextDeadline.offer(now); // peers after the failure offered nothing: walk again next tick
            }
        }
    }

    /** The handshake state of the peer with static key {@code remoteStatic}, or null: for tests. */
    Handshake handshakeForTest(NoisePublicKey remoteStatic) {
        Entry entry = peers.get(remoteStatic);
        return entry == null ? null : entry.handshaker().handshake();
    }

    /** Indices currently routed to peers (handshakes in flight and keypairs). */
    public int liveIndices() {
        return indices.size();
    }

    /**
     * Routes one datagram {@code [position, limit)} from {@code source}. Never throws for bad input.
     * {@code source} is read only for handshake initiations and responses (mac2 and cookies,
     * §5.4.7): the shell may pass null for other messages, so that it need not build an address for
     * every data packet. A {@link Routed} result is valid until the next call.
     */
    public Received receive(ByteBuffer datagram, InetSocketAddress source, long now, boolean underLoad) {
        if (datagram.remaining() < 4) {
            return Drop.of(DropReason.MESSAGE_TRUNCATED);
        }
        return switch (TransportData.messageType(datagram)) {
            case Constants.MESSAGE_DATA -> datagram.remaining() < Constants.MESSAGE_DATA_MIN_LENGTH
                    ? Drop.of(DropReason.MESSAGE_TRUNCATED)
                    : route(TransportData.receiverIndex(datagram), datagram, now);
            case Constants.MESSAGE_HANDSHAKE_INITIATION -> initiation(datagram, source, now, underLoad);
            case Constants.MESSAGE_HANDSHAKE_RESPONSE -> response(datagram, source, now, underLoad);
            case Constants.MESSAGE_HANDSHAKE_COOKIE -> {
                MessageCookieReply reply = MessageCookieReply.parse(datagram).messageOrNull();
                yield reply == null ? Drop.of(DropReason.MESSAGE_TRUNCATED) : route(reply.receiver(), datagram, now);
            }
            default -> Drop.of(DropReason.UNKNOWN_MESSAGE_TYPE);
        };
    }

    /**
     * The peer a data message {@code [position, limit)} is for, by its receiver index, or null
     * (not a whole data message, or an unknown index): the routing step of {@link #receive} for a
     * shell that goes on with {@link Peer#admit}. Allocates nothing.
     */
    public Peer dataPeer(ByteBuffer datagram) {
        if (datagram.remaining() < Constants.MESSAGE_DATA_MIN_LENGTH
                || TransportData.messageType(datagram) != Constants.MESSAGE_DATA) {
            return null;
        }
        return indices.lookup(TransportData.receiverIndex(datagram));
    }

    private Received route(int receiverIndex, ByteBuffer datagram, long now) {
        Peer peer = indices.lookup(receiverIndex);
        if (peer == null) {
            return Drop.of(DropReason.UNKNOWN_RECEIVER_INDEX);
        }
        return routed.set(peer, peer.decapsulate(datagram, now));
    }

    /**
     * mac1 always; under load mac2, then the source's rate (§5.4.7: a cookie proves the source
     * address, the limiter bounds what one address may cost); null when the message may proceed.
     */
    private Received checkMacs(HandshakeMessage msg, InetSocketAddress source, long now, boolean underLoad) {
        CookieChecker.Verdict verdict = cookieChecker.check(msg, CookieChecker.sourceBytes(source), underLoad, now, random);
        if (verdict instanceof CookieChecker.Drop) {
            return Drop.of(DropReason.MAC1_INVALID);
        }
        if (verdict instanceof CookieChecker.SendCookieReply send) {
            return new SendCookieReply(ByteBuffer.wrap(send.reply().encode()));
        }
        if (underLoad && !rateLimiter.allow(source.getAddress().getAddress(), now)) {
            return Drop.of(DropReason.HANDSHAKE_RATE_LIMITED);
        }
        return null;
    }

    private Received initiation(ByteBuffer datagram, InetSocketAddress source, long now, boolean underLoad) {
        Parsed<MessageInitiation> parsed = MessageInitiation.parse(datagram);
        MessageInitiation msg = parsed.messageOrNull();
        if (msg == null) {
            return Drop.of(DropReason.MESSAGE_TRUNCATED);
        }
        Received blocked = checkMacs(msg, source, now, underLoad);
        if (blocked != null) {
            return blocked;
        }
        Entry[] matched = new Entry[1];
        ConsumedInitiation consumed = Handshake.consumeInitiation(local, msg, key -> {
            Entry entry = peers.get(key);
            matched[0] = entry;
            return entry == null ? null : entry.handshaker().handshake();
        }, now);
        if (consumed instanceof ConsumedInitiation.Drop drop) {
            return Drop.of(drop.reason() == ConsumedInitiation.Reason.UNKNOWN_PEER
                    ? DropReason.UNKNOWN_PEER : DropReason.HANDSHAKE_REJECTED);
        }
        matched[0].handshaker().initiationConsumedByDevice();
        return routed.set(matched[0].peer(), matched[0].peer().decapsulate(datagram, now));
    }

    private Received response(ByteBuffer datagram, InetSocketAddress source, long now, boolean underLoad) {
        MessageResponse msg = MessageResponse.parse(datagram).messageOrNull();
        if (msg == null) {
            return Drop.of(DropReason.MESSAGE_TRUNCATED);
        }
        Received blocked = checkMacs(msg, source, now, underLoad);
        return blocked != null ? blocked : route(msg.receiver(), datagram, now);
    }
}
