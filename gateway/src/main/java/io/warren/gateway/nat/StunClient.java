package io.warren.gateway.nat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Sans-I/O STUN Binding client (RFC 8489 §6.2, §6.3) for one UDP port: one transaction per
 * configured server per round; the shell sends what {@link #poll} returns and feeds every
 * received STUN datagram to {@link #receive}. Time ({@code now}, monotonic nanos) and randomness are
 * inputs. Not thread-safe: the shell serialises calls.
 *
 * <p>Retransmission (§6.2.1): a request is sent at 0, then after RTO, 2 RTO, 4 RTO... until
 * {@link StunWire#RC} requests went out; the transaction fails {@link StunWire#RM} RTOs after the
 * last one. With RTO 500 ms: sends at 0, 0.5, 1.5, 3.5, 7.5, 15.5, 31.5 s; gives up at 39.5 s.
 *
 * <p>Responses are accepted only with a transaction id in flight and from the server it was sent
 * to (§6.3); everything else is dropped and counted in {@link StunCounters}.
 */
public final class StunClient {
    /** A datagram to send from the WireGuard port. */
    public record Outgoing(InetSocketAddress to, ByteBuffer datagram) {
    }

    /** What a received datagram did. */
    public sealed interface Received {
    }

    /** A server told us our reflexive address. */
    public record Mapped(InetSocketAddress server, InetSocketAddress reflexive) implements Received {
    }

    /** Ignored, counted. */
    public record Ignored(StunDropReason reason) implements Received {
    }

    private static final class Transaction {
        final InetSocketAddress server;
        final TransactionId id;
        int sent;
        long nextAt;
        long rto = StunWire.RTO_NANOS;

        Transaction(InetSocketAddress server, TransactionId id, long now) {
            this.server = server;
            this.id = id;
            this.nextAt = now;
        }
    }

    private final RandomGenerator random;
    private final StunCounters counters;
    private final Map<TransactionId, Transaction> inFlight = new LinkedHashMap<>();
    /** The latest answer of each server (kept across rounds until the server fails). */
    private final Map<InetSocketAddress, InetSocketAddress> answers = new LinkedHashMap<>();

    public StunClient(RandomGenerator random, StunCounters counters) {
        this.random = random;
        this.counters = counters;
    }

    /** Starts a round: one new transaction per server not already in flight. */
    public void start(List<InetSocketAddress> servers, long now) {
        for (InetSocketAddress s : servers) {
            boolean busy = inFlight.values().stream().anyMatch(t -> t.server.equals(s));
            if (!busy) {
                TransactionId id = TransactionId.random(random);
                inFlight.put(id, new Transaction(s, id, now));
            }
        }
    }

    /** The requests due by {@code now}; drops transactions that gave up (§6.2.1). */
    public List<Outgoing> poll(long now) {
        List<Outgoing> out = new ArrayList<>(0);
        var it = inFlight.values().iterator();
        while (it.hasNext()) {
            Transaction t = it.next();
            if (now - t.nextAt < 0) {
                continue;
            }
            if (t.sent == StunWire.RC) {
                it.remove();
                answers.remove(t.server); // the server no longer answers: forget its old mapping
                continue;
            }
            out.add(new Outgoing(t.server, StunCodec.bindingRequest(t.id)));
            counters.request();
            t.sent++;
            if (t.sent == StunWire.RC) {
                t.nextAt = now + StunWire.RM * StunWire.RTO_NANOS;
            } else {
                t.nextAt = now + t.rto;
                t.rto *= 2;
            }
        }
        return out;
    }

    /** The earliest time {@link #poll} has something to do, if any transaction is in flight. */
    public Optional<Long> nextDeadline() {
        return inFlight.values().stream().map(t -> t.nextAt).reduce((a, b) -> a - b < 0 ? a : b);
    }

    /** Handles a received STUN datagram (already told apart from WireGuard by {@link StunCodec#isStun}). */
    public Received receive(ByteBuffer datagram, InetSocketAddress from) {
        StunDecodeResult r = StunCodec.decode(datagram);
        if (r instanceof StunDecodeResult.Dropped d) {
            return ignored(d.reason());
        }
        StunMessage m = ((StunDecodeResult.Decoded) r).message();
        if (m.type() != StunWire.BINDING_SUCCESS_RESPONSE && m.type() != StunWire.BINDING_ERROR_RESPONSE) {
            return ignored(StunDropReason.UNEXPECTED_TYPE);
        }
        Transaction t = inFlight.get(m.transactionId());
        if (t == null) {
            return ignored(StunDropReason.UNKNOWN_TRANSACTION);
        }
        if (!t.server.equals(from)) {
            return ignored(StunDropReason.WRONG_SOURCE);
        }
        inFlight.remove(m.transactionId());
        if (m.unknownRequired()) { // §6.3.3, §6.3.4: discarded, and the transaction has failed
            return ignored(StunDropReason.UNKNOWN_REQUIRED_ATTRIBUTE);
        }
        if (m.type() == StunWire.BINDING_ERROR_RESPONSE) {
            return ignored(StunDropReason.ERROR_RESPONSE);
        }
        Optional<InetSocketAddress> reflexive = m.reflexive();
        if (reflexive.isEmpty()) {
            return ignored(StunDropReason.NO_MAPPED_ADDRESS);
        }
        answers.put(t.server, reflexive.get());
        counters.response();
        return new Mapped(t.server, reflexive.get());
    }

    private Ignored ignored(StunDropReason reason) {
        counters.drop(reason);
        return new Ignored(reason);
    }

    /** The latest reflexive address each answering server reported. */
    public Map<InetSocketAddress, InetSocketAddress> answers() {
        return Map.copyOf(answers);
    }

    /** Our server-reflexive address: the first server's answer, if any answered. */
    public Optional<InetSocketAddress> reflexive() {
        return answers.values().stream().findFirst();
    }

    /** RFC 4787 mapping behaviour from the answers of at least two servers. */
    public MappingBehaviour behaviour() {
        if (answers.size() < 2) {
            return MappingBehaviour.UNKNOWN;
        }
        return answers.values().stream().distinct().count() == 1 ? MappingBehaviour.ENDPOINT_INDEPENDENT
                : MappingBehaviour.ENDPOINT_DEPENDENT;
    }

    /** Transactions waiting for an answer. */
    public int inFlight() {
        return inFlight.size();
    }
}
