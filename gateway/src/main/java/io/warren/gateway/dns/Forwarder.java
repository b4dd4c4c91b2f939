package io.warren.gateway.dns;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * The forwarding state machine. Each attempt gets a fresh random 16-bit id and a random source
 * socket slot (RFC 5452 §9.2: id and port randomisation). An upstream message is accepted only when
 * (RFC 5452 §3, and the DNSpooq lessons: CVE-2020-25684/25685/25686)
 * <ol>
 *   <li>it parses and has QR=1;</li>
 *   <li>a query with this id is in flight on this socket slot and transport;</li>
 *   <li>it comes from the exact address and port that attempt was sent to;</li>
 *   <li>it has exactly one question equal to ours: name (case-insensitive), type and class.</li>
 * </ol>
 * A message failing 3 or 4 is dropped without disturbing the pending query, so a forger cannot
 * cancel it. Accepted answers with TC over UDP are asked again over TCP (RFC 7766 §5); SERVFAIL,
 * REFUSED and NOTIMP move on to the next upstream while attempts remain. A query not answered within
 * the attempt timeout moves on as well; after {@code maxAttempts} the client gets SERVFAIL.
 * A query whose question (name case-insensitive, type, class, DO, CD) is already in flight joins
 * it instead of being asked again, and gets the same answer: with N identical queries outstanding a
 * forger would otherwise have N ids and ports to hit (RFC 5452 §5, the birthday attack;
 * CVE-2020-25686). Every waiting client query counts against {@link ForwarderSettings#maxInFlight}.
 * Upstream queries advertise EDNS(0) with 1232 bytes and carry the client's DO and CD bits.
 *
 * <p>Sans-I/O and confined to one thread: {@code now} is monotonic nanoseconds.
 *
 * @param <C> the shell's client handle, returned untouched with the answer
 */
public final class Forwarder<C> {
    /** Slot value of TCP attempts. */
    public static final int TCP_SLOT = -1;
    private static final int MAX_ID_TRIES = 16;

    private final ForwarderSettings settings;
    private final RandomGenerator random;
    private final long timeoutNanos;
    private final Map<Integer, Pending<C>> inFlight = new HashMap<>();
    /** Pending queries by question, for joining (RFC 5452 §5). */
    private final Map<CacheKey, Pending<C>> byQuestion = new HashMap<>();
    /** Client queries waiting, joined ones included. */
    private int waiting;
    private final ArrayDeque<Deadline> deadlines = new ArrayDeque<>();
    private long serials;

    private static final class Pending<C> {
        final List<UpstreamResult.Waiter<C>> waiters = new ArrayList<>(1);
        final CacheKey question;
        final ClientQuery query;
        final List<InetSocketAddress> upstreams;
        final long firstSent;
        int attempt;
        int upstreamIndex;
        long serial;
        int key;
        InetSocketAddress upstream;
        Transport transport;
        long sentAt;

        Pending(C client, Transport clientTransport, ClientQuery query, List<InetSocketAddress> upstreams, long now) {
            this.waiters.add(new UpstreamResult.Waiter<>(client, clientTransport, query));
            this.question = query.cacheKey();
            this.query = query;
            this.upstreams = upstreams;
            this.firstSent = now;
        }
    }

    private record Deadline(int key, long serial, long at) {
    }

    public Forwarder(ForwarderSettings settings, RandomGenerator random) {
        this.settings = settings;
        this.random = random;
        this.timeoutNanos = settings.attemptTimeout().toNanos();
    }

    /**
     * Starts forwarding {@code query} to the first of {@code upstreams}, or joins the pending query
     * of the same question.
     */
    public ForwardResult start(long now, C client, Transport clientTransport, ClientQuery query,
            List<InetSocketAddress> upstreams) {
        if (upstreams.isEmpty()) {
            return new ForwardResult.Rejected(DnsDropReason.NO_UPSTREAM);
        }
        if (waiting >= settings.maxInFlight()) {
            return new ForwardResult.Rejected(DnsDropReason.IN_FLIGHT_FULL);
        }
        CacheKey question = query.cacheKey();
        Pending<C> same = byQuestion.get(question);
        if (same != null) {
            same.waiters.add(new UpstreamResult.Waiter<>(client, clientTransport, query));
            waiting++;
            return new ForwardResult.Joined();
        }
        Pending<C> p = new Pending<>(client, clientTransport, query, upstreams, now);
        UpstreamSend send = attempt(now, p, upstreams.get(0), Transport.UDP);
        if (send == null) {
            return new ForwardResult.Rejected(DnsDropReason.IN_FLIGHT_FULL);
        }
        byQuestion.put(question, p);
        waiting++;
        return new ForwardResult.Sent(send);
    }

    /** Forgets {@code p}, which is answered or given up. */
    private void finish(Pending<C> p) {
        byQuestion.remove(p.question, p);
        waiting -= p.waiters.size();
    }

    /** Handles a message that arrived from {@code source} on socket {@code slot} over {@code transport}. */
    public UpstreamResult<C> onResponse(long now, int slot, InetSocketAddress source, Transport transport,
            byte[] wire) {
        if (wire.length < DnsWire.HEADER_LENGTH) {
            return new UpstreamResult.Dropped<>(DnsDropReason.UPSTREAM_MALFORMED);
        }
        if ((DnsWire.u16(wire, DnsWire.FLAGS_OFFSET) & DnsWire.FLAG_QR) == 0) {
            return new UpstreamResult.Dropped<>(DnsDropReason.UPSTREAM_NOT_RESPONSE);
        }
        int key = key(slot, DnsWire.u16(wire, DnsWire.ID_OFFSET));
        Pending<C> p = inFlight.get(key);
        if (p == null || p.transport != transport) {
            return new UpstreamResult.Dropped<>(DnsDropReason.UPSTREAM_UNKNOWN_ID);
        }
        if (!sameEndpoint(source, p.upstream)) {
            return new UpstreamResult.Dropped<>(DnsDropReason.UPSTREAM_WRONG_SOURCE);
        }
        Message response;
        try {
            response = new Message(wire);
        } catch (IOException | IllegalArgumentException e) {
            return new UpstreamResult.Dropped<>(DnsDropReason.UPSTREAM_MALFORMED);
        }
        if (!sameQuestion(response, p.query)) {
            return new UpstreamResult.Dropped<>(DnsDropReason.UPSTREAM_QUESTION_MISMATCH);
        }
        inFlight.remove(key);
        Header h = response.getHeader();
        if (h.getFlag(Flags.TC) && transport == Transport.UDP) {
            UpstreamSend send = attempt(now, p, p.upstream, Transport.TCP);
            if (send != null) {
                return new UpstreamResult.Resend<>(send, true);
            }
        }
        int rcode = h.getRcode();
        if ((rcode == Rcode.SERVFAIL || rcode == Rcode.REFUSED || rcode == Rcode.NOTIMP)
                && p.attempt < settings.maxAttempts() && p.upstreams.size() > 1) {
            UpstreamSend send = next(now, p);
            if (send != null) {
                return new UpstreamResult.Resend<>(send, false);
            }
        }
        finish(p);
        return new UpstreamResult.Answered<>(List.copyOf(p.waiters), response, now - p.sentAt);
    }

    /** Handles attempts whose timeout passed: each moves to the next upstream or gives up. */
    public List<UpstreamResult<C>> expire(long now) {
        List<UpstreamResult<C>> out = new ArrayList<>();
        while (!deadlines.isEmpty() && deadlines.peekFirst().at() - now <= 0) {
            Deadline d = deadlines.pollFirst();
            Pending<C> p = inFlight.get(d.key());
            if (p == null || p.serial != d.serial()) {
                continue; // answered or already moved on
            }
            inFlight.remove(d.key());
            UpstreamSend send = p.attempt < settings.maxAttempts() ? next(now, p) : null;
            if (send != null) {
                out.add(new UpstreamResult.Resend<>(send, false));
            } else {
                finish(p);
                out.add(new UpstreamResult.GaveUp<>(List.copyOf(p.waiters), DnsDropReason.UPSTREAM_TIMEOUT));
            }
        }
        return out;
    }

    /** Abandons the TCP attempt to {@code upstream} that the shell could not carry out (connect failed). */
    public UpstreamResult<C> tcpFailed(long now, UpstreamSend send) {
        int key = key(TCP_SLOT, DnsWire.u16(send.wire(), DnsWire.ID_OFFSET));
        Pending<C> p = inFlight.get(key);
        if (p == null || p.transport != Transport.TCP) {
            return new UpstreamResult.Dropped<>(DnsDropReason.UPSTREAM_UNKNOWN_ID);
        }
        inFlight.remove(key);
        UpstreamSend again = p.attempt < settings.maxAttempts() ? next(now, p) : null;
        if (again != null) {
            return new UpstreamResult.Resend<>(again, false);
        }
        finish(p);
        return new UpstreamResult.GaveUp<>(List.copyOf(p.waiters), DnsDropReason.UPSTREAM_TIMEOUT);
    }

    /** @return client queries waiting for an upstream, joined ones included */
    public int inFlight() {
        return waiting;
    }

    private UpstreamSend next(long now, Pending<C> p) {
        p.upstreamIndex = (p.upstreamIndex + 1) % p.upstreams.size();
        return attempt(now, p, p.upstreams.get(p.upstreamIndex), Transport.UDP);
    }

    /** Registers a new attempt under a fresh id and slot; null if no free id was found. */
    private UpstreamSend attempt(long now, Pending<C> p, InetSocketAddress upstream, Transport transport) {
        int slot = transport == Transport.TCP ? TCP_SLOT : random.nextInt(settings.slots());
        int id = -1;
        int key = 0;
        for (int i = 0; i < MAX_ID_TRIES; i++) {
            int candidate = random.nextInt(0x10000);
            key = key(slot, candidate);
            if (!inFlight.containsKey(key)) {
                id = candidate;
                break;
            }
        }
        if (id < 0) {
            return null;
        }
        p.attempt++;
        p.serial = ++serials;
        p.key = key;
        p.upstream = upstream;
        p.transport = transport;
        p.sentAt = now;
        inFlight.put(key, p);
        deadlines.addLast(new Deadline(key, p.serial, now + timeoutNanos));
        return new UpstreamSend(slot, upstream, transport, queryWire(id, p.query));
    }

    private static byte[] queryWire(int id, ClientQuery q) {
        Header h = new Header(id);
        if (q.recursionDesired()) {
            h.setFlag(Flags.RD);
        }
        if (q.checkingDisabled()) {
            h.setFlag(Flags.CD);
        }
        Message m = new Message();
        m.setHeader(h);
        m.addRecord(Record.newRecord(q.name(), q.type(), q.dclass()), Section.QUESTION);
        m.addRecord(new OPTRecord(DnsWire.EDNS_UDP_SIZE, 0, 0, q.dnssecOk() ? DnsWire.EDNS_FLAG_DO : 0),
                Section.ADDITIONAL);
        return m.toWire();
    }

    private static int key(int slot, int id) {
        return (slot << 16) | id;
    }

    private static boolean sameQuestion(Message response, ClientQuery q) {
        if (response.getHeader().getCount(Section.QUESTION) != 1) {
            return false;
        }
        Record r = response.getQuestion();
        return r != null && r.getType() == q.type() && r.getDClass() == q.dclass() && r.getName().equals(q.name());
    }

    /** Same port and same address, treating IPv4-mapped IPv6 (from dual-stack sockets) as IPv4. */
    static boolean sameEndpoint(InetSocketAddress a, InetSocketAddress b) {
        if (a == null || b == null || a.getPort() != b.getPort()) {
            return false;
        }
        return normalize(a.getAddress()).equals(normalize(b.getAddress()));
    }

    private static InetAddress normalize(InetAddress a) {
        byte[] b = a.getAddress();
        if (b.length == 16) {
            boolean mapped = b[10] == (byte) 0xFF && b[11] == (byte) 0xFF;
            for (int i = 0; i < 10 && mapped; i++) {
                mapped = b[i] == 0;
            }
            if (mapped) {
                try {
                    return InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
                } catch (java.net.UnknownHostException impossible) {
                    return a; // getByAddress only throws for a bad length
                }
            }
        }
        return a;
    }
}
