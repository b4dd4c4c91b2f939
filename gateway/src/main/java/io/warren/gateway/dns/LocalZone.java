package io.warren.gateway.dns;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Names the gateway answers itself: A and AAAA records of static hosts, hosts files, DHCP leases
 * and VPN peers, and the matching PTR records (RFC 1035 §3.5, RFC 3596 §2.5). Inside a local domain
 * an unknown name is NXDOMAIN and a known name without the asked type is NODATA, both with the
 * domain's SOA so clients cache the denial (RFC 2308 §3); such names are never forwarded (RFC 6761
 * §6.3 style containment of private names). Names with descendants are empty non-terminals:
 * NODATA, not NXDOMAIN (RFC 8020). Configured static records of any type live beside the
 * published addresses ({@link StaticRecords}).
 *
 * <p>Thread-safe (synchronised): fed by {@link NameSource}s on other threads, read by the resolver.
 */
public final class LocalZone {

    private final long ttl;
    private final long negativeTtl;
    private final Map<Name, SOARecord> domains = new HashMap<>();
    private final Map<Name, List<Binding>> forward = new HashMap<>();
    private final Map<Name, List<Binding>> reverse = new HashMap<>();
    private final StaticRecords statics = new StaticRecords();
    /** Bumped on every change; read without the lock by the resolver's cache fast path. */
    private volatile long version;

    private record Binding(Name name, InetAddress address, NameOrigin origin) {
    }

    /**
     * @param ttlSeconds         TTL of local A/AAAA/PTR answers (dnsmasq's default is 0: leases change)
     * @param negativeTtlSeconds SOA MINIMUM and TTL of local denials
     */
    public LocalZone(long ttlSeconds, long negativeTtlSeconds) {
        this.ttl = ttlSeconds;
        this.negativeTtl = negativeTtlSeconds;
    }

    /** Declares {@code domain} local: names inside it are answered here, NXDOMAIN if unknown. */
    public synchronized void addDomain(Name domain) {
        version++;
        domains.computeIfAbsent(domain, d -> new SOARecord(d, DClass.IN, negativeTtl, child(d, "ns"),
                child(d, "hostmaster"), 1, 3600, 600, 86400, negativeTtl));
    }

    /**
     * @param origin who publishes through the returned source
     * @param domain relative names are placed under it ({@link Name#root} for absolute names);
     *               it is declared local unless it is the root
     * @return a source that adds and removes names of {@code origin}
     */
    public NameSource source(NameOrigin origin, Name domain) {
        if (!domain.equals(Name.root)) {
            addDomain(domain);
        }
        return new NameSource() {
            @Override
            public boolean add(String host, InetAddress address) {
                if (origin == NameOrigin.DHCP_LEASE && host != null && host.endsWith(".")) {
                    return false; // a client's name stays inside the lease domain
                }
                Name n = hostName(host, domain);
                return n != null && LocalZone.this.add(origin, n, address);
            }

            @Override
            public boolean remove(String host, InetAddress address) {
                Name n = hostName(host, domain);
                return n != null && LocalZone.this.remove(origin, n, address);
            }

            @Override
            public int removeAll(String host) {
                Name n = hostName(host, domain);
                return n == null ? 0 : LocalZone.this.removeAll(origin, n);
            }
        };
    }

    /** @return the absolute name of {@code host} under {@code domain}, or null when not a valid host name */
    static Name hostName(String host, Name domain) {
        if (host == null || host.isEmpty() || host.length() > 253 || !HostNames.isName(host)) {
            return null;
        }
        try {
            Name n = Name.fromString(host, domain);
            return n.isAbsolute() ? n : null;
        } catch (TextParseException e) {
            return null; // over 255 bytes once the domain is appended
        }
    }

    /**
     * Adds a static record (class IN, absolute owner); its owner becomes a local name. The TTL is
     * the record's own.
     */
    public synchronized void addRecord(Record r) {
        if (!r.getName().isAbsolute() || r.getDClass() != DClass.IN) {
            throw new IllegalArgumentException("static record must be absolute and class IN: " + r);
        }
        statics.add(r);
        version++;
    }

    /**
     * Lease names come from clients, every other origin from the configuration, which wins: a lease
     * is refused a name that another origin publishes with another address, that has static
     * records or that is a local domain itself (e.g. the peer domain {@code vpn.lan}) (a client naming itself like a VPN peer or a hosts-file entry must not add its address
     * to that name), and a configured name evicts a lease holding it (dnsmasq likewise refuses a
     * DHCP name that exists in its hosts data with another address).
     */
    synchronized boolean add(NameOrigin origin, Name name, InetAddress address) {
        List<Binding> existing = forward.get(name);
        if (origin == NameOrigin.DHCP_LEASE) {
            if (statics.has(name) || domains.containsKey(name)) {
                return false;
            }
            if (existing != null) {
                for (Binding o : existing) {
                    if (o.origin() != origin && !o.address().equals(address)) {
                        return false;
                    }
                }
            }
        } else if (existing != null) {
            for (Binding o : List.copyOf(existing)) {
                if (o.origin() == NameOrigin.DHCP_LEASE && !o.address().equals(address)) {
                    unbind(o);
                }
            }
        }
        Binding b = new Binding(name, address, origin);
        List<Binding> list = forward.computeIfAbsent(name, k -> new ArrayList<>());
        if (list.contains(b)) {
            return true;
        }
        list.add(b);
        version++;
        reverse.computeIfAbsent(ReverseMap.fromAddress(address), k -> new ArrayList<>()).add(b);
        return true;
    }

    synchronized boolean remove(NameOrigin origin, Name name, InetAddress address) {
        return unbind(new Binding(name, address, origin));
    }

    synchronized int removeAll(NameOrigin origin, Name name) {
        List<Binding> list = forward.get(name);
        if (list == null) {
            return 0;
        }
        int removed = 0;
        for (Binding b : List.copyOf(list)) {
            if (b.origin() == origin && unbind(b)) {
                removed++;
            }
        }
        return removed;
    }

    private boolean unbind(Binding b) {
        List<Binding> list = forward.get(b.name());
        if (list == null || !list.remove(b)) {
            return false;
        }
        version++;
        if (list.isEmpty()) {
            forward.remove(b.name());
        }
        Name ptr = ReverseMap.fromAddress(b.address());
        List<Binding> rev = reverse.get(ptr);
        if (rev != null) {
            rev.remove(b);
            if (rev.isEmpty()) {
                reverse.remove(ptr);
            }
        }
        return true;
    }

    /**
     * Answers {@code qname}/{@code qtype} (class IN) from local data; owner names keep the client's
     * case. A static CNAME answers every other type with itself and the target's local records.
     */
    public synchronized LocalAnswer lookup(Name qname, int qtype) {
        CNAMERecord cname = qtype == Type.CNAME || qtype == Type.ANY ? null : statics.cname(qname);
        if (cname != null) {
            List<Record> out = new ArrayList<>();
            out.add(cname.withName(qname));
            chase(cname.getTarget(), qtype, out, StaticRecords.MAX_CHAIN);
            return new LocalAnswer.Records(out);
        }
        List<Record> out = records(qname, qtype);
        if (!out.isEmpty()) {
            return new LocalAnswer.Records(out);
        }
        SOARecord soa = enclosingSoa(qname);
        if (forward.containsKey(qname) || reverse.containsKey(qname) || statics.has(qname)) {
            return new LocalAnswer.NoData(soa != null ? soa : syntheticSoa(qname));
        }
        if (soa == null) {
            return new LocalAnswer.NotLocal();
        }
        if (soa.getName().equals(qname)) {
            return qtype == Type.SOA ? new LocalAnswer.Records(List.of(soa)) : new LocalAnswer.NoData(soa);
        }
        if (hasDescendant(qname)) {
            return new LocalAnswer.NoData(soa);
        }
        return new LocalAnswer.NxDomain(soa);
    }

    /** Follows a static CNAME to local data only: a target that is not local ends the chain. */
    private void chase(Name target, int qtype, List<Record> out, int linksLeft) {
        CNAMERecord next = statics.cname(target);
        if (next != null) {
            if (linksLeft > 1 && !out.contains(next)) {
                out.add(next);
                chase(next.getTarget(), qtype, out, linksLeft - 1);
            }
            return;
        }
        out.addAll(records(target, qtype));
    }

    /** Every local record of {@code qname} and {@code qtype}: PTRs, addresses, then static records. */
    private List<Record> records(Name qname, int qtype) {
        List<Record> out = new ArrayList<>();
        if (qtype == Type.PTR || qtype == Type.ANY) {
            List<Binding> rev = reverse.get(qname);
            if (rev != null) {
                java.util.Set<Name> seen = new java.util.HashSet<>();
                for (Binding b : rev) {
                    // One name published by two origins (a static DHCP host and its lease) is one
                    // record: an RRset holds no duplicates (RFC 2181 §5).
                    if (seen.add(b.name())) {
                        out.add(new PTRRecord(qname, DClass.IN, ttl, b.name()));
                    }
                }
            }
        }
        List<Binding> list = forward.get(qname);
        if (list != null) {
            java.util.Set<InetAddress> seen = new java.util.HashSet<>();
            for (Binding b : list) {
                if (!seen.add(b.address())) {
                    continue; // same address from two origins: one record (RFC 2181 §5)
                }
                if (b.address() instanceof Inet4Address && (qtype == Type.A || qtype == Type.ANY)) {
                    out.add(new ARecord(qname, DClass.IN, ttl, b.address()));
                } else if (b.address() instanceof Inet6Address && (qtype == Type.AAAA || qtype == Type.ANY)) {
                    out.add(new AAAARecord(qname, DClass.IN, ttl, b.address()));
                }
            }
        }
        statics.answer(qname, qname, qtype, out);
        return out;
    }

    private SOARecord enclosingSoa(Name qname) {
        if (domains.isEmpty()) {
            return null;
        }
        for (int strip = 0; strip < qname.labels(); strip++) {
            Name candidate = strip == 0 ? qname : new Name(qname, strip);
            SOARecord soa = domains.get(candidate);
            if (soa != null) {
                return soa;
            }
        }
        return null;
    }

    private boolean hasDescendant(Name qname) {
        for (Name n : statics.owners()) {
            if (n.subdomain(qname) && !n.equals(qname)) {
                return true;
            }
        }
        for (Iterator<Name> it = forward.keySet().iterator(); it.hasNext();) {
            Name n = it.next();
            if (n.subdomain(qname) && !n.equals(qname)) {
                return true;
            }
        }
        for (Name d : domains.keySet()) {
            if (d.subdomain(qname) && !d.equals(qname)) {
                return true;
            }
        }
        return false;
    }

    private SOARecord syntheticSoa(Name owner) {
        return new SOARecord(owner, DClass.IN, negativeTtl, child(owner, "ns"), child(owner, "hostmaster"), 1, 3600,
                600, 86400, negativeTtl);
    }

    private static Name child(Name parent, String label) {
        try {
            return Name.concatenate(Name.fromConstantString(label), parent);
        } catch (org.xbill.DNS.NameTooLongException e) {
            return parent;
        }
    }

    /**
     * @return a number that changes whenever a name or domain is added or removed: a cached
     *         upstream answer checked not local at version v needs no new check while it is v
     */
    public long version() {
        return version;
    }

    /** @return how many names are published (for status output) */
    public synchronized int size() {
        return forward.size();
    }
}
