package io.warren.gateway.dhcp;

import io.warren.gateway.config.DhcpHost;
import io.warren.gateway.config.DhcpPoolConfig;
import io.warren.gateway.dns.HostNames;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The DHCPv4 lease machine of RFC 2131 §4.3, sans I/O: {@link #handle} takes a decoded request,
 * where it arrived and {@code now} (monotonic nanoseconds) and returns the reply to send, its
 * destination and the lease changes to journal. No clock, thread or socket inside; single-threaded
 * (the shell calls it from one thread).
 *
 * <ul>
 *   <li>DISCOVER (§4.3.1): static host address, else the client's current offer or lease, else
 *       the requested address (option 50), else its previous address, else a free address found
 *       from a hash of the client key (as dnsmasq, so a client tends to get the same address back).
 *       The offered address is reserved for {@link DhcpSettings#offerHold()}; no ping-before-offer.</li>
 *   <li>REQUEST (§4.3.2): SELECTING (option 54 present: ours = ACK/NAK, other = forget the offer),
 *       INIT-REBOOT (option 50, no ciaddr), RENEWING/REBINDING (ciaddr). Authoritative: wrong
 *       addresses are NAKed and free ones ACKed even without a record (so clients keep their
 *       addresses across a lost lease file).</li>
 *   <li>DECLINE (§4.3.3): the address is quarantined, at most {@link DhcpSettings#declinesPerClient()}
 *       at once per client (further DECLINEs are ignored: one client cannot quarantine the pool); RELEASE (§4.3.4): the lease ends;
 *       INFORM (§4.3.5): ACK with the pool's options and no lease.</li>
 * </ul>
 */
public final class DhcpServerCore {

    private static final long NANOS = 1_000_000_000L;

    private final List<DhcpPool> pools;
    private final DhcpSettings settings;
    private final LeaseTable table = new LeaseTable();
    private final List<DhcpLeaseListener> listeners = new CopyOnWriteArrayList<>();
    private Consumer<DhcpIgnoredReason> ignored = r -> { };

    /**
     * @param badOption told (pool option code, value) for each admin option that cannot be encoded
     *                  (it is left out)
     */
    public DhcpServerCore(List<DhcpPoolConfig> pools, DhcpSettings settings, BiConsumer<Integer, String> badOption) {
        this.pools = DhcpPool.of(pools, badOption);
        this.settings = settings;
    }

    /** Adds a listener for lease added/removed (called on the core's thread). */
    public void addListener(DhcpLeaseListener l) {
        listeners.add(l);
    }

    /** Sets who counts input ignored in answered messages (called on the core's thread). */
    public void onIgnored(Consumer<DhcpIgnoredReason> counter) {
        ignored = counter;
    }

    /** The number of bound leases. */
    public int leaseCount() {
        return table.leased();
    }

    /** The bound leases, a snapshot. Call on the core's thread. */
    public List<DhcpLease> leases() {
        return table.leases();
    }

    /**
     * Puts a lease read from the journal back, if it has not expired and a pool still serves its
     * address: the pool of the same name, else (a renamed pool) one whose subnet holds it. A lease
     * of a removed pool or outside a changed range is dropped, and so is a lease at an address that
     * a static host of another client now has (else that host would be refused its address until the
     * old lease ends).
     *
     * @return true if restored
     */
    public boolean restore(DhcpLease lease, long now) {
        int a = DhcpText.ipv4(lease.address());
        Optional<DhcpPool> p = pools.stream().filter(x -> x.name.equals(lease.pool()) && x.inSubnet(a)).findFirst()
                .or(() -> pools.stream().filter(x -> x.inSubnet(a)).findFirst());
        if (lease.expiresAt() - now <= 0 || p.isEmpty() || !(p.get().inRange(a) || p.get().isStaticAddress(a))) {
            return false;
        }
        if (p.get().isStaticAddress(a) && !p.get().isStaticHostOf(a, lease)) {
            return false; // the address is now reserved for another client's [[host]] entry
        }
        // The journal's expiry is wall-clock time: if the clock went back between runs (no RTC, a
        // wrong NTP step) it lies far ahead. No lease outlives the pool's lease time from now.
        long cap = now + p.get().leaseSeconds * NANOS;
        long expires = lease.expiresAt() - cap > 0 ? cap : lease.expiresAt();
        DhcpLease l = lease.pool().equals(p.get().name) && expires == lease.expiresAt() ? lease
                : new DhcpLease(p.get().name, lease.address(), lease.hardwareAddress(), lease.clientId(), lease.hostName(),
                        expires, lease.staticLease());
        table.bind(l, l.expiresAt()).forEach(b -> fireRemoved(b, LeaseChange.Cause.REPLACED, new ArrayList<>()));
        listeners.forEach(x -> x.leaseAdded(l));
        return true;
    }

    /** Ends leases, offers and quarantines whose time is up; returns the lease removals. */
    public List<LeaseChange> tick(long now) {
        List<LeaseChange> changes = new ArrayList<>();
        for (LeaseTable.Binding b : table.expire(now)) {
            fireRemoved(b, LeaseChange.Cause.EXPIRED, changes);
        }
        return changes;
    }

    /** Answers one decoded message whose sender does not matter (no pool lists trusted relays). */
    public DhcpOutcome handle(DhcpMessage m, DhcpIngress in, long now) {
        return handle(m, in, 0, now);
    }

    /**
     * Answers one decoded message.
     *
     * @param source the datagram's IPv4 source address; read only for relayed requests (giaddr set) to a
     *               pool with trusted relays, so the shell may pass 0 for the others
     */
    public DhcpOutcome handle(DhcpMessage m, DhcpIngress in, int source, long now) {
        List<LeaseChange> changes = tick(now);
        if (m.op() != DhcpWire.BOOTREQUEST) {
            return new DhcpOutcome.NoReply(DhcpNoReplyReason.NOT_A_REQUEST, changes);
        }
        if (m.hlen() == 0 && !m.options().has(DhcpWire.OPT_CLIENT_ID)) {
            return new DhcpOutcome.NoReply(DhcpNoReplyReason.NO_CLIENT_IDENTITY, changes);
        }
        Optional<DhcpPool> pool = selectPool(m, in);
        if (pool.isEmpty()) {
            return new DhcpOutcome.NoReply(DhcpNoReplyReason.NO_POOL, changes);
        }
        if (m.giaddr() != 0 && !pool.get().trustsRelay(source)) {
            return new DhcpOutcome.NoReply(DhcpNoReplyReason.UNTRUSTED_RELAY, changes);
        }
        Optional<DhcpMessageType> type = m.options().messageType();
        if (type.isEmpty()) {
            return new DhcpOutcome.NoReply(DhcpNoReplyReason.UNEXPECTED_TYPE, changes);
        }
        Exchange x = new Exchange(m, in, pool.get(), now, ClientKeys.of(m), changes);
        DhcpMessageType t = type.get();
        if (t == DhcpMessageType.DHCPDISCOVER) {
            return discover(x);
        } else if (t == DhcpMessageType.DHCPREQUEST) {
            return request(x);
        } else if (t == DhcpMessageType.DHCPDECLINE) {
            return decline(x);
        } else if (t == DhcpMessageType.DHCPRELEASE) {
            return release(x);
        } else if (t == DhcpMessageType.DHCPINFORM) {
            return inform(x);
        }
        return x.none(DhcpNoReplyReason.UNEXPECTED_TYPE);
    }

    /** The request's context. */
    private record Exchange(DhcpMessage m, DhcpIngress in, DhcpPool pool, long now, String key, List<LeaseChange> changes) {
        DhcpOutcome none(DhcpNoReplyReason r) {
            return new DhcpOutcome.NoReply(r, changes);
        }

        DhcpOutcome reply(DhcpMessage msg, boolean nak) {
            return new DhcpOutcome.Reply(msg, ReplyRouting.destination(m, nak, msg.yiaddr()), changes);
        }

        DhcpOutcome nak(String why) {
            return reply(ReplyBuilder.nak(m, in.serverAddress(), why), true);
        }
    }

    /**
     * By giaddr for relayed requests (RFC 2131 §4.3.1), else among the receiving interface's pools. A
     * pool with trusted relays then also checks the datagram's source ({@link #handle}).
     */
    private Optional<DhcpPool> selectPool(DhcpMessage m, DhcpIngress in) {
        int g = m.giaddr();
        if (g != 0) {
            // The reply goes to giaddr:67 (RFC 2131 §4.1): a subnet's network or broadcast address or
            // our own address is no relay agent but a forgery (a directed broadcast, or a loop).
            if (g == in.serverAddress()) {
                return Optional.empty();
            }
            return pools.stream().filter(p -> p.inSubnet(g) && g != p.network && g != p.broadcast()).findFirst();
        }
        DhcpPool first = null;
        int hint = m.ciaddr() != 0 ? m.ciaddr() : m.options().requestedAddress().orElse(0);
        for (DhcpPool p : pools) {
            if (p.iface.equals(in.iface())) {
                if (hint != 0 && p.inSubnet(hint)) {
                    return Optional.of(p);
                }
                if (first == null) {
                    first = p;
                }
            }
        }
        return Optional.ofNullable(first);
    }

    private DhcpOutcome discover(Exchange x) {
        OptionalInt address = choose(x);
        if (address.isEmpty()) {
            Optional<DhcpHost> host = x.pool.host(x.m);
            return x.none(host.isPresent() ? DhcpNoReplyReason.ADDRESS_CONFLICT
                    : table.held() >= settings.leaseMax() ? DhcpNoReplyReason.LEASE_LIMIT : DhcpNoReplyReason.POOL_EXHAUSTED);
        }
        int a = address.getAsInt();
        table.offer(a, x.key, x.pool.name, x.now + settings.offerHold().toNanos());
        Naming n = naming(x);
        return x.reply(ReplyBuilder.build(DhcpMessageType.DHCPOFFER, x.m, x.in.serverAddress(), a,
                x.pool.leaseSeconds, x.pool, n.name, n.option81(x)), false);
    }

    private OptionalInt choose(Exchange x) {
        Optional<DhcpHost> host = x.pool.host(x.m);
        if (host.isPresent()) {
            int a = DhcpText.ipv4(host.get().address());
            return table.freeFor(a, x.key) ? OptionalInt.of(a) : OptionalInt.empty();
        }
        Optional<LeaseTable.Binding> mine = table.ofClient(x.key);
        if (mine.isPresent() && mine.get().state() != LeaseTable.State.DECLINED && dynamicOk(x, mine.get().address())) {
            return OptionalInt.of(mine.get().address());
        }
        if (table.held() >= settings.leaseMax()) {
            return OptionalInt.empty();
        }
        OptionalInt req = x.m.options().requestedAddress();
        if (req.isPresent() && dynamicOk(x, req.getAsInt())) {
            return req;
        }
        Optional<Integer> prev = table.previousAddress(x.key);
        if (prev.isPresent() && dynamicOk(x, prev.get())) {
            return OptionalInt.of(prev.get());
        }
        int size = x.pool.rangeSize();
        int start = Math.floorMod(x.key.hashCode() * 0x9E3779B1, size);
        for (int i = 0; i < size; i++) {
            int a = x.pool.rangeStart + (start + i) % size;
            if (dynamicOk(x, a)) {
                return OptionalInt.of(a);
            }
        }
        return OptionalInt.empty();
    }

    /** A dynamic address the client may have: in range, not static, not ours, free for it. */
    private boolean dynamicOk(Exchange x, int a) {
        return x.pool.inRange(a) && !x.pool.isStaticAddress(a) && a != x.in.serverAddress()
                && a != x.pool.network && a != x.pool.broadcast() && table.freeFor(a, x.key);
    }

    /** True if the client may be bound to {@code a}: its static address, or a free dynamic one. */
    private boolean mayBind(Exchange x, int a) {
        Optional<DhcpHost> host = x.pool.host(x.m);
        if (host.isPresent()) {
            return a == DhcpText.ipv4(host.get().address()) && table.freeFor(a, x.key);
        }
        boolean holds = table.ofClient(x.key).map(b -> b.address() == a).orElse(false);
        return dynamicOk(x, a) && (holds || table.held() < settings.leaseMax());
    }

    private DhcpOutcome request(Exchange x) {
        OptionalInt serverId = x.m.options().serverId();
        OptionalInt req = x.m.options().requestedAddress();
        int ciaddr = x.m.ciaddr();
        if (serverId.isPresent()) { // SELECTING
            if (serverId.getAsInt() != x.in.serverAddress()) {
                table.ofClient(x.key).filter(b -> b.state() == LeaseTable.State.OFFERED)
                        .ifPresent(b -> table.remove(b.address()));
                return x.none(DhcpNoReplyReason.OTHER_SERVER);
            }
            int a = req.isPresent() ? req.getAsInt() : ciaddr;
            if (a == 0) {
                return x.none(DhcpNoReplyReason.MALFORMED_REQUEST);
            }
            return mayBind(x, a) ? ack(x, a) : x.nak("address not available");
        }
        int a = req.isPresent() && ciaddr == 0 ? req.getAsInt() : ciaddr; // INIT-REBOOT, else RENEWING/REBINDING
        if (a == 0) {
            return x.none(DhcpNoReplyReason.MALFORMED_REQUEST);
        }
        if (!x.pool.inSubnet(a)) {
            return settings.authoritative() ? x.nak("wrong network") : x.none(DhcpNoReplyReason.NO_RECORD);
        }
        Optional<LeaseTable.Binding> mine = table.ofClient(x.key).filter(b -> b.state() != LeaseTable.State.DECLINED);
        if (mine.isPresent() && mine.get().address() == a && mayBind(x, a)) {
            return ack(x, a);
        }
        if (mine.isPresent() && mine.get().state() == LeaseTable.State.LEASED && mine.get().address() != a) {
            return x.nak("wrong address"); // RFC 2131 §4.3.2: the client's notion of its address is incorrect
        }
        if (!settings.authoritative() && (mine.isEmpty() || mine.get().state() != LeaseTable.State.LEASED)) {
            return x.none(DhcpNoReplyReason.NO_RECORD);
        }
        return mayBind(x, a) ? ack(x, a) : x.nak("address not available");
    }

    private DhcpOutcome ack(Exchange x, int a) {
        Optional<DhcpHost> host = x.pool.host(x.m);
        Naming n = naming(x);
        Optional<String> name = n.name;
        long expires = x.now + x.pool.leaseSeconds * NANOS;
        DhcpLease lease = new DhcpLease(x.pool.name, DhcpText.inet(a), DhcpText.hex(x.m.hardwareAddress()),
                x.m.options().clientId().map(DhcpText::hex), name, expires, host.isPresent());
        Optional<DhcpLease> old = table.atAddress(a).filter(b -> b.state() == LeaseTable.State.LEASED)
                .filter(b -> b.clientKey().equals(x.key)).map(LeaseTable.Binding::lease);
        for (LeaseTable.Binding b : table.bind(lease, expires)) {
            if (b.state() == LeaseTable.State.LEASED && !(old.isPresent() && b.lease() == old.get())) {
                fireRemoved(b, LeaseChange.Cause.REPLACED, x.changes);
            }
        }
        x.changes.add(new LeaseChange.Bound(lease));
        if (old.isEmpty() || old.get().publishesDifferently(lease)) {
            old.ifPresent(o -> listeners.forEach(l -> l.leaseRemoved(o, LeaseChange.Cause.REPLACED)));
            listeners.forEach(l -> l.leaseAdded(lease));
        }
        return x.reply(ReplyBuilder.build(DhcpMessageType.DHCPACK, x.m, x.in.serverAddress(), a,
                x.pool.leaseSeconds, x.pool, name, n.option81(x)), false);
    }

    private DhcpOutcome decline(Exchange x) {
        if (x.m.options().serverId().orElse(x.in.serverAddress()) != x.in.serverAddress()) {
            return x.none(DhcpNoReplyReason.OTHER_SERVER);
        }
        OptionalInt a = x.m.options().requestedAddress();
        Optional<LeaseTable.Binding> b = a.isPresent() ? table.atAddress(a.getAsInt()) : Optional.empty();
        if (b.isEmpty() || !b.get().clientKey().equals(x.key)) {
            return x.none(DhcpNoReplyReason.NOT_HELD);
        }
        if (table.quarantinedBy(x.key) >= settings.declinesPerClient()) {
            return x.none(DhcpNoReplyReason.DECLINE_LIMIT);
        }
        table.remove(b.get().address());
        table.quarantine(b.get().address(), x.pool.name, x.now + settings.declineQuarantine().toNanos(), x.key);
        fireRemoved(b.get(), LeaseChange.Cause.DECLINED, x.changes);
        return x.none(DhcpNoReplyReason.DECLINED);
    }

    private DhcpOutcome release(Exchange x) {
        if (x.m.options().serverId().orElse(x.in.serverAddress()) != x.in.serverAddress()) {
            return x.none(DhcpNoReplyReason.OTHER_SERVER);
        }
        Optional<LeaseTable.Binding> b = table.atAddress(x.m.ciaddr())
                .filter(y -> y.state() == LeaseTable.State.LEASED && y.clientKey().equals(x.key));
        if (b.isEmpty()) {
            return x.none(DhcpNoReplyReason.NOT_HELD);
        }
        table.remove(b.get().address());
        fireRemoved(b.get(), LeaseChange.Cause.RELEASED, x.changes);
        return x.none(DhcpNoReplyReason.RELEASED);
    }

    /**
     * RFC 2131 §4.3.5: the ACK goes unicast to ciaddr, so ciaddr must be a host address of the
     * pool's subnet; otherwise any client could make the server send to any address (a reflector).
     */
    private DhcpOutcome inform(Exchange x) {
        int c = x.m.ciaddr();
        if (c == 0 || !x.pool.inSubnet(c) || c == x.pool.network || c == x.pool.broadcast()) {
            return x.none(DhcpNoReplyReason.MALFORMED_REQUEST);
        }
        return x.reply(ReplyBuilder.build(DhcpMessageType.DHCPACK, x.m, x.in.serverAddress(), 0, -1, x.pool,
                Optional.empty(), Optional.empty()), false);
    }

    private void fireRemoved(LeaseTable.Binding b, LeaseChange.Cause cause, List<LeaseChange> changes) {
        if (b.state() != LeaseTable.State.LEASED) {
            return;
        }
        changes.add(new LeaseChange.Removed(b.lease(), cause));
        listeners.forEach(l -> l.leaseRemoved(b.lease(), cause));
    }

    /** The client's name and its well-formed option 81, if it sent one. */
    private record Naming(Optional<String> name, Optional<ClientFqdn> fqdn) {

        /** The reply's option 81 (RFC 4702 §4): only with a name granted, as dnsmasq answers. */
        Optional<byte[]> option81(Exchange x) {
            if (fqdn.isEmpty() || name.isEmpty()) {
                return Optional.empty();
            }
            Optional<String> domain = Optional.ofNullable(x.pool.optionsFor(x.pool.host(x.m)).get(DhcpWire.OPT_DOMAIN_NAME))
                    .map(d -> new String(d, StandardCharsets.US_ASCII));
            return Optional.of(fqdn.get().reply(name.get(), domain));
        }
    }

    /**
     * The static host's name, else the client's name: the first label of option 81 (RFC 4702; RFC
     * 4702 §3.1: preferred over option 12 when both are sent), else of option 12, if it is a valid
     * host label that no static host and no other client's lease carries: a client must not take over
     * a name others resolve (dnsmasq refuses names of its configured hosts the same way). The first
     * lease keeps a name until it ends. A malformed option 81 is counted and ignored (option 12 then
     * names the client); one with an empty name asks the server for a name, so option 12 gives it.
     */
    private Naming naming(Exchange x) {
        Optional<ClientFqdn> fqdn = Optional.empty();
        Optional<byte[]> raw = x.m.options().get(DhcpWire.OPT_CLIENT_FQDN);
        if (raw.isPresent()) {
            fqdn = ClientFqdn.parse(raw.get());
            if (fqdn.isEmpty()) {
                ignored.accept(DhcpIgnoredReason.MALFORMED_FQDN);
            }
        }
        Optional<String> fixed = x.pool.host(x.m).flatMap(DhcpHost::name);
        if (fixed.isPresent()) {
            return new Naming(fixed, fqdn);
        }
        Optional<String> sent = fqdn.flatMap(ClientFqdn::firstLabel).or(() -> x.m.options().hostName());
        Optional<String> name = sent.flatMap(DhcpServerCore::cleanLabel)
                .filter(n -> pools.stream().noneMatch(p -> p.isStaticName(n)))
                .filter(n -> table.nameHolder(n).map(b -> b.clientKey().equals(x.key)).orElse(true));
        return new Naming(name, fqdn);
    }

    /**
     * The host label a client's option 12 (RFC 2132 §3.14) gives, or empty: the text up to a NUL
     * (clients written in C send one; dnsmasq cuts there too), its first label (a domain part is
     * ignored, as dnsmasq does), lower case. A label that is not an RFC 1123 §2.1 host label (1 to 63
     * letters, digits and inner hyphens) is refused, never repaired: removing characters would turn
     * {@code "local host"} into another name the client did not send. {@code localhost} is refused
     * (RFC 6761 §6.3).
     */
    static Optional<String> cleanLabel(String sent) {
        int nul = sent.indexOf('\0');
        String name = nul >= 0 ? sent.substring(0, nul) : sent;
        int dot = name.indexOf('.');
        String label = (dot >= 0 ? name.substring(0, dot) : name).toLowerCase(Locale.ROOT);
        if (!HostNames.isLabel(label) || label.equals("localhost")) {
            return Optional.empty();
        }
        return Optional.of(label);
    }
}
