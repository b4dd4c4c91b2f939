package io.warren.gateway.dhcp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * Who holds which address: bound leases, offers reserved for a short time, declined addresses in
 * quarantine; indexed by address and by client key, with expiry in time order (a heap with lazy
 * deletion: a renewal pushes a new entry and the stale one is skipped when it surfaces). Also
 * remembers each client's last address after its lease ended, so it gets it back when still free.
 * Single-threaded (the core's thread).
 */
final class LeaseTable {

    /** What holds an address. */
    enum State { OFFERED, LEASED, DECLINED }

    /** One held address; {@code lease} is set for LEASED. */
    record Binding(int address, State state, String clientKey, String pool, long expiresAt, DhcpLease lease) {
    }

    private record Expiry(long at, int address) {
    }

    private static final int PREVIOUS_MAX = 1 << 16;

    private final Map<Integer, Binding> byAddress = new HashMap<>();
    private final Map<String, Integer> byClient = new HashMap<>();
    /** Lower-case host name of a bound lease to its address: a name belongs to one lease. */
    private final Map<String, Integer> byName = new HashMap<>();
    private final PriorityQueue<Expiry> expiries = new PriorityQueue<>((a, b) -> Long.compare(a.at, b.at));
    private final LinkedHashMap<String, Integer> previous = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
            return size() > PREVIOUS_MAX;
        }
    };
    /** Quarantined address to the client whose DECLINE put it there, and how many each client has. */
    private final Map<Integer, String> declinedBy = new HashMap<>();
    private final Map<String, Integer> declinesOf = new HashMap<>();
    private int leased;
    private int offered;

    Optional<Binding> atAddress(int address) {
        return Optional.ofNullable(byAddress.get(address));
    }

    /** The client's offer or lease. */
    Optional<Binding> ofClient(String clientKey) {
        Integer a = byClient.get(clientKey);
        return a == null ? Optional.empty() : Optional.ofNullable(byAddress.get(a));
    }

    /** The bound lease that carries {@code hostName} (compared in lower case), if any. */
    Optional<Binding> nameHolder(String hostName) {
        Integer a = byName.get(hostName.toLowerCase(Locale.ROOT));
        return a == null ? Optional.empty() : Optional.ofNullable(byAddress.get(a));
    }

    /** The address the client last held, if remembered. */
    Optional<Integer> previousAddress(String clientKey) {
        return Optional.ofNullable(previous.get(clientKey));
    }

    /** True if nobody, or this client with an offer or lease, holds the address. */
    boolean freeFor(int address, String clientKey) {
        Binding b = byAddress.get(address);
        return b == null || (b.state != State.DECLINED && b.clientKey.equals(clientKey));
    }

    /** Leases plus offers: what the lease limit counts. */
    int held() {
        return leased + offered;
    }

    int leased() {
        return leased;
    }

    /** Reserves {@code address} for the client until {@code until}, dropping its other offer; keeps a lease as it is. */
    void offer(int address, String clientKey, String pool, long until) {
        Binding cur = byAddress.get(address);
        if (cur != null && cur.state == State.LEASED && cur.clientKey.equals(clientKey)) {
            return;
        }
        dropOtherOffer(clientKey, address);
        put(new Binding(address, State.OFFERED, clientKey, pool, until, null));
    }

    /**
     * Binds {@code lease}; returns what the client held before at another address (now removed) and
     * what it held at this address (replaced), for the listener.
     */
    List<Binding> bind(DhcpLease lease, long expiresAt) {
        int address = DhcpText.ipv4(lease.address());
        String key = lease.clientKey();
        List<Binding> before = new ArrayList<>(2);
        Integer other = byClient.get(key);
        if (other != null && other != address) {
            Binding o = remove(other);
            if (o != null) {
                before.add(o);
            }
        }
        Binding cur = byAddress.get(address);
        if (cur != null) {
            before.add(cur);
        }
        put(new Binding(address, State.LEASED, key, lease.pool(), expiresAt, lease));
        return before;
    }

    /** Quarantines {@code address} until {@code until} for {@code decliner}'s DECLINE, replacing whatever held it. */
    void quarantine(int address, String pool, long until, String decliner) {
        remove(address);
        declinedBy.put(address, decliner);
        put(new Binding(address, State.DECLINED, "", pool, until, null));
    }

    /** How many addresses are in quarantine because of {@code clientKey}'s DECLINEs. */
    int quarantinedBy(String clientKey) {
        return declinesOf.getOrDefault(clientKey, 0);
    }

    /** Removes whatever holds {@code address}; remembers a lease's address for its client. */
    Binding remove(int address) {
        Binding b = byAddress.remove(address);
        if (b == null) {
            return null;
        }
        count(b, -1);
        unindexName(b);
        if (!b.clientKey.isEmpty() && Integer.valueOf(address).equals(byClient.get(b.clientKey))) {
            byClient.remove(b.clientKey);
        }
        if (b.state == State.LEASED) {
            previous.put(b.clientKey, address);
        }
        return b;
    }

    /** Removes every binding whose time is up at {@code now}; returns them. */
    List<Binding> expire(long now) {
        List<Binding> out = List.of();
        while (!expiries.isEmpty() && expiries.peek().at - now <= 0) {
            Expiry e = expiries.poll();
            Binding b = byAddress.get(e.address);
            if (b != null && b.expiresAt == e.at) {
                remove(e.address);
                if (out.isEmpty()) {
                    out = new ArrayList<>();
                }
                out.add(b);
            }
        }
        return out;
    }

    /** The bound leases, a snapshot. */
    List<DhcpLease> leases() {
        List<DhcpLease> out = new ArrayList<>(leased);
        for (Binding b : byAddress.values()) {
            if (b.state == State.LEASED) {
                out.add(b.lease);
            }
        }
        return out;
    }

    private void dropOtherOffer(String clientKey, int keep) {
        Integer a = byClient.get(clientKey);
        if (a != null && a != keep) {
            Binding b = byAddress.get(a);
            if (b != null && b.state == State.OFFERED) {
                remove(a);
            }
        }
    }

    private void put(Binding b) {
        Binding old = byAddress.put(b.address, b);
        if (old != null) {
            count(old, -1);
            unindexName(old);
            if (!old.clientKey.equals(b.clientKey) && Integer.valueOf(b.address).equals(byClient.get(old.clientKey))) {
                byClient.remove(old.clientKey);
            }
        }
        count(b, +1);
        if (b.lease != null) {
            b.lease.hostName().ifPresent(n -> byName.put(n.toLowerCase(Locale.ROOT), b.address));
        }
        if (!b.clientKey.isEmpty()) {
            // An offer elsewhere does not hide the client's lease: bind() must still find and end it
            // when the client takes the offer (e.g. a client moving to its new static address).
            Integer cur = byClient.get(b.clientKey);
            Binding held = cur == null || cur == b.address ? null : byAddress.get(cur);
            if (b.state != State.OFFERED || held == null || held.state != State.LEASED) {
                byClient.put(b.clientKey, b.address);
            }
        }
        expiries.add(new Expiry(b.expiresAt, b.address));
        if (expiries.size() > 2 * byAddress.size() + 4096) {
            rebuildExpiries(); // renewals left many stale entries: keep memory proportional to the table
        }
    }

    private void unindexName(Binding b) {
        if (b.lease != null && b.lease.hostName().isPresent()) {
            byName.remove(b.lease.hostName().get().toLowerCase(Locale.ROOT), b.address);
        }
    }

    private void rebuildExpiries() {
        expiries.clear();
        for (Binding b : byAddress.values()) {
            expiries.add(new Expiry(b.expiresAt, b.address));
        }
    }

    /** Heap entries, live and stale (for tests). */
    int expiryEntries() {
        return expiries.size();
    }

    private void count(Binding b, int delta) {
        if (b.state == State.LEASED) {
            leased += delta;
        } else if (b.state == State.OFFERED) {
            offered += delta;
        } else if (delta > 0) {
            declinesOf.merge(declinedBy.getOrDefault(b.address, ""), 1, Integer::sum);
        } else {
            String who = declinedBy.remove(b.address);
            declinesOf.computeIfPresent(who == null ? "" : who, (k, n) -> n > 1 ? n - 1 : null);
        }
    }
}
