package io.warren.gateway.nat;

import io.warren.gateway.transport.DatagramTap;
import io.warren.gateway.transport.WireGuardInterface;
import io.warren.tun.udp.UdpSource;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * The thin shell that runs a {@link StunClient} on a WireGuard interface's own UDP port: requests
 * leave through {@link WireGuardInterface#sendDatagram} (so the NAT mapping learnt is the one the
 * WireGuard traffic uses) and responses are taken off the port by a {@link DatagramTap} that claims
 * only datagrams {@link StunCodec#isStun} recognises; WireGuard sees everything else.
 *
 * <p>Threading: {@link #tick} on the caller's timer thread, the tap on the interface's receive thread;
 * both go through this object's monitor. Received buffers are read during the call only.
 */
public final class StunAgent implements AutoCloseable {
    private final WireGuardInterface iface;
    private final List<InetSocketAddress> servers;
    private final LongSupplier clock;
    private final long roundNanos;
    private final StunCounters counters = new StunCounters();
    private final StunClient client;
    private long nextRound;
    private boolean started;
    private long lastAnswerAt;
    private boolean answered;

    /**
     * @param servers    STUN servers (resolved); two or more let the mapping behaviour be judged
     * @param roundNanos how often a new round of requests starts (the mapping may change)
     * @param clock      monotonic nanos
     */
    public StunAgent(WireGuardInterface iface, List<InetSocketAddress> servers, RandomGenerator random,
                     LongSupplier clock, long roundNanos) {
        this.iface = iface;
        this.servers = List.copyOf(servers);
        this.clock = clock;
        this.roundNanos = roundNanos;
        this.client = new StunClient(random, counters);
        iface.setDatagramTap(this::offer);
    }

    private boolean offer(ByteBuffer datagram, UdpSource sender) {
        if (!StunCodec.isStun(datagram)) {
            return false;
        }
        synchronized (this) {
            if (client.receive(datagram, normalise(sender.address())) instanceof StunClient.Mapped) {
                lastAnswerAt = clock.getAsLong();
                answered = true;
            }
        }
        return true;
    }

    /** Starts a round when one is due and sends the requests that are due. */
    public void tick() {
        List<StunClient.Outgoing> out;
        synchronized (this) {
            long now = clock.getAsLong();
            if (!started || now - nextRound >= 0) {
                started = true;
                nextRound = now + roundNanos;
                client.start(servers, now);
            }
            out = client.poll(now);
        }
        for (StunClient.Outgoing o : out) {
            iface.sendDatagram(o.datagram(), o.to());
        }
    }

    /** Our server-reflexive address as the first answering server saw it. */
    public synchronized Optional<InetSocketAddress> reflexive() {
        return client.reflexive();
    }

    /** The answers by server. */
    public synchronized Map<InetSocketAddress, InetSocketAddress> answers() {
        return client.answers();
    }

    /** When (monotonic nanos) the latest accepted answer arrived, if any did. */
    public synchronized Optional<Long> lastAnswer() {
        return answered ? Optional.of(lastAnswerAt) : Optional.empty();
    }

    public synchronized MappingBehaviour behaviour() {
        return client.behaviour();
    }

    public StunCounters counters() {
        return counters;
    }

    public WireGuardInterface wireGuard() {
        return iface;
    }

    /** An IPv4-mapped IPv6 source (dual-stack socket) as the plain IPv4 address we sent to. */
    private static InetSocketAddress normalise(InetSocketAddress a) {
        try {
            InetAddress plain = InetAddress.getByAddress(a.getAddress().getAddress());
            return plain.equals(a.getAddress()) ? a : new InetSocketAddress(plain, a.getPort());
        } catch (UnknownHostException e) {
            return a;
        }
    }

    /** Removes the tap. */
    @Override
    public void close() {
        iface.setDatagramTap(null);
    }
}
