package io.warren.gateway.dns;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The configured static records of the {@link LocalZone} (dnsmasq's host-record, cname,
 * txt-record, mx-host, srv-host), by owner name. A CNAME owner holds nothing else (RFC 1034
 * §3.6.2, RFC 2181 §10.1; the config parser enforces it): a query for another type there is
 * answered with the CNAME followed by the target's local records (RFC 1034 §4.3.2 step 3a),
 * chased at most {@link #MAX_CHAIN} links.
 *
 * <p>Not thread-safe: owned by the {@link LocalZone}, used under its lock.
 */
final class StaticRecords {
    /** Longest CNAME chain followed locally; a loop stops here too. */
    static final int MAX_CHAIN = 8;

    private final Map<Name, List<Record>> byOwner = new HashMap<>();

    /** Adds {@code r} (class IN); an identical record (name, type, data) is kept once (RFC 2181 §5). */
    void add(Record r) {
        List<Record> list = byOwner.computeIfAbsent(r.getName(), k -> new ArrayList<>());
        if (!list.contains(r)) {
            list.add(r);
        }
    }

    boolean has(Name owner) {
        return byOwner.containsKey(owner);
    }

    Set<Name> owners() {
        return byOwner.keySet();
    }

    /** @return the CNAME of {@code owner}, or null */
    CNAMERecord cname(Name owner) {
        List<Record> list = byOwner.get(owner);
        if (list != null) {
            for (Record r : list) {
                if (r instanceof CNAMERecord c) {
                    return c;
                }
            }
        }
        return null;
    }

    /** Appends the records of {@code owner} of {@code qtype} (all for ANY), with {@code qname}'s letter case. */
    void answer(Name owner, Name qname, int qtype, List<Record> out) {
        List<Record> list = byOwner.get(owner);
        if (list == null) {
            return;
        }
        for (Record r : list) {
            if (qtype == Type.ANY || r.getType() == qtype) {
                Record withCase = r.withName(qname);
                if (!out.contains(withCase)) {
                    out.add(withCase);
                }
            }
        }
    }
}
