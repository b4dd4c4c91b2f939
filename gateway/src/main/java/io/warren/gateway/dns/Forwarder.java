package io.warren.gateway.dns;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.random.RandomGenerator;

import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * The forwarding state machine. Each attempt gets a fresh random 16-bit id, and each UDP attempt a
 * socket of its own: the forwarder names it with a number ({@link UpstreamSend#socket()}), the shell
 * opens a UDP socket on a random port for it and closes it when the attempt ends, which the forwarder
 * reports through {@link #drainClosed} (RFC 5452 §9.2: id and port randomisation, so a forger has about
 * 16 bits of id times the ephemeral port range to guess per query, as with dnsmasq's random ports). An
 * upstream message is accepted only when (RFC 5452 §3, and the DNSpooq lessons: CVE-2020-25684/25685/25686)
 * <ol>
 *   <li>it parses and has QR=1;</li>
 *   <li>it came on the socket of a UDP attempt in flight and carries that attempt's id, or over TCP
 *       with the id of a TCP attempt in flight;</li>
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
    /** Socket value of TCP attempts: the shell opens a connection per attempt and reports its answer with this. */
    public static final int TCP_SOCKET = -1;
    private static final int MAX_ID_TRIES = 16;
    private static final int TCP_KEYS = TCP_SOCKET << 16;

    private final ForwarderSettings settings;
    private final RandomGenerator random;
    private final long timeoutNanos;
    /** Attempts in flight: a UDP attempt by its socket number (positive), a TCP one by {@code TCP_KEYS | id}. */
    private final Map<Integer, Pending<C>> inFlight = new HashMap<>();
    /** Pending queries by question, for joining (RFC 5452 §5). */
    private final Map<CacheKey, Pending<C>> byQuestion = new HashMap<>();
    /** Client queries waiting, joined ones included. */
    private int waiting;
    private final ArrayDeque<Deadline> deadlines = new ArrayDeque<>();
    private long serials;
    /** Last socket number handed out; numbers cycle through 1..Integer.MAX_VALUE. */
    private int lastSocket;
    /** Sockets of UDP attempts that ended, for the shell to close ({@link #drainClosed}). */
    private int[] closed = new int[16];
    private int closedCount;

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
        int id;
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

    /**
     * Handles a message that arrived from {@code source} over {@code transport}: for UDP on the socket
     * numbered {@code socket}, for TCP with {@link #TCP_SOCKET}.
     */
    public UpstreamResult<C> onResponse(long now, int socket, InetSocketAddress source, Transport transport,
            byte[] wire) {
        if (wire.length < DnsWire.HEADER_LENGTH) {
            return new UpstreamResult.Dropped<>(DnsDropReason.UPSTREAM_MALFORMED);
        }
        if ((DnsWire.u16(wire, DnsWire.FLAGS_OFFSET) & DnsWire.FLAG_QR) == 0) {
            return new UpstreamResult.Dropped<>(DnsDropReason.UPSTREAM_NOT_RESPONSE);
        }
        int id = DnsWire.u16(wire, DnsWire.ID_OFFSET);
        int key = key(socket, transport, id);
        Pending<C> p = key == 0 ? null : inFlight.get(key);
        if (p == null || p.transport != transport || p.id != id) {
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
        ended(p);
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
            ended(p);
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

    /**
     * Abandons the attempt {@code send} that the shell could not carry out (TCP connect failed, or no
     * UDP socket could be opened) and moves on to the next upstream, or gives up.
     */
    public UpstreamResult<C> sendFailed(long now, UpstreamSend send) {
        int id = DnsWire.u16(send.wire(), DnsWire.ID_OFFSET);
        int key = key(send.socket(), send.transport(), id);
        Pending<C> p = key == 0 ? null : inFlight.get(key);
        if (p == null || p.transport != send.transport() || p.id != id) {
            return new UpstreamResult.Dropped<>(DnsDropReason.UPSTREAM_UNKNOWN_ID);
        }
        ended(p);
        UpstreamSend again = p.attempt < settings.maxAttempts() ? next(now, p) : null;
        if (again != null) {
            return new UpstreamResult.Resend<>(again, false);
        }
        finish(p);
        return new UpstreamResult.GaveUp<>(List.copyOf(p.waiters), DnsDropReason.UPSTREAM_TIMEOUT);
    }

    /**
     * Hands {@code close} the number of every UDP socket whose attempt ended (answered, timed out,
     * retried over TCP or elsewhere, or failed) since the last call, and forgets them. The shell calls
     * it after each {@link #onResponse}, {@link #expire} and {@link #sendFailed}, and closes those
     * sockets: each socket carries one attempt, so a late or forged answer finds none.
     */
    public void drainClosed(IntConsumer close) {
        for (int i = 0; i < closedCount; i++) {
            close.accept(closed[i]);
        }
        closedCount = 0;
    }

    /** @return UDP attempts in flight, each holding one shell socket (at most {@link ForwarderSettings#maxInFlight}) */
    public int openSockets() {
        int n = 0;
        for (int key : inFlight.keySet()) {
            if (key > 0) {
                n++;
            }
        }
        return n;
    }

    /** @return client queries waiting for an upstream, joined ones included */
    public int inFlight() {
        return waiting;
    }

    private UpstreamSend next(long now, Pending<C> p) {
        p.upstreamIndex = (p.upstreamIndex + 1) % p.upstreams.size();
        return attempt(now, p, p.upstreams.get(p.upstreamIndex), Transport.UDP);
    }

    /**
     * Registers a new attempt under a fresh random id and, over UDP, a socket number of its own; null
     * if no free TCP id was found.
     */
    private UpstreamSend attempt(long now, Pending<C> p, InetSocketAddress upstream, Transport transport) {
        int id = random.nextInt(0x10000);
        int socket;
        int key;
        if (transport == Transport.UDP) {
            socket = nextSocket();
            key = socket;
        } else {
            socket = TCP_SOCKET;
            key = TCP_KEYS | id;
            for (int i = 1; inFlight.containsKey(key); i++) {
                if (i == MAX_ID_TRIES) {
                    return null;
                }
                id = random.nextInt(0x10000);
                key = TCP_KEYS | id;
            }
        }
        p.attempt++;
        p.id = id;
        p.serial = ++serials;
        p.key = key;
        p.upstream = upstream;
        p.transport = transport;
        p.sentAt = now;
        inFlight.put(key, p);
        deadlines.addLast(new Deadline(key, p.serial, now + timeoutNanos));
        return new UpstreamSend(socket, upstream, transport, queryWire(id, p.query));
    }

    /** A socket number not in use by an attempt in flight (in use: at most maxInFlight of 2^31 - 1). */
    private int nextSocket() {
        do {
            lastSocket = lastSocket == Integer.MAX_VALUE ? 1 : lastSocket + 1;
        } while (inFlight.containsKey(lastSocket));
        return lastSocket;
    }

    /** Takes {@code p}'s current attempt out of flight; a UDP attempt's socket is to be closed. */
    private void ended(Pending<C> p) {
        inFlight.remove(p.key);
        if (p.transport == Transport.UDP) {
            if (closedCount == closed.length) {
                closed = Arrays.copyOf(closed, closedCount * 2);
            }
            closed[closedCount++] = p.key;
        }
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

    /** The key of an attempt, 0 (none) for a UDP socket number that cannot be ours. */
    private static int key(int socket, Transport transport, int id) {
        if (transport == Transport.TCP) {
            return socket == TCP_SOCKET ? TCP_KEYS | id : 0;
        }
        return socket > 0 ? socket : 0;
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
