package io.warren.gateway.dns;

import java.util.List;

import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Decides how long an upstream answer may be cached and which TTLs to hand out:
 * <ul>
 *   <li>NOERROR with answers: the smallest record TTL (RFC 2181 §5.2), capped at {@code maxTtl};</li>
 *   <li>NXDOMAIN, or NOERROR without answers (NODATA): min(SOA TTL, SOA MINIMUM) of the SOA in the
 *       authority section (RFC 2308 §5), capped at {@code maxNegativeTtl}; the SOA is handed out with
 *       that TTL (RFC 2308 §3). Without an SOA the answer is not cached (RFC 2308 §5);</li>
 *   <li>anything else (SERVFAIL, REFUSED, truncated) is not cached;</li>
 *   <li>a TTL with the top bit set counts as 0 (RFC 2181 §8).</li>
 * </ul>
 */
final class CachePolicy {
    private final long maxTtl;
    private final long maxNegativeTtl;

    CachePolicy(long maxTtlSeconds, long maxNegativeTtlSeconds) {
        this.maxTtl = maxTtlSeconds;
        this.maxNegativeTtl = maxNegativeTtlSeconds;
    }

    /** Renders {@code response} into a template whose lifetime is 0 when it must not be cached. */
    ResponseTemplate template(Message response, long now) {
        int flags = headerFlags(response);
        List<Record> answer = response.getSection(Section.ANSWER);
        List<Record> authority = response.getSection(Section.AUTHORITY);
        List<Record> additional = response.getSection(Section.ADDITIONAL);
        int rcode = response.getHeader().getRcode();
        boolean truncated = response.getHeader().getFlag(Flags.TC);
        if (rcode == Rcode.NOERROR && !answer.isEmpty()) {
            long life = truncated ? 0 : maxTtl;
            for (List<Record> s : List.of(answer, authority, additional)) {
                for (Record r : s) {
                    if (r.getType() != Type.OPT) {
                        life = Math.min(life, clamp(r.getTTL(), maxTtl));
                    }
                }
            }
            return ResponseTemplate.of(flags, answer, authority, additional, (r, sec) -> clamp(r.getTTL(), maxTtl),
                    now, life);
        }
        if (rcode == Rcode.NXDOMAIN || rcode == Rcode.NOERROR) {
            SOARecord soa = null;
            for (Record r : authority) {
                if (r instanceof SOARecord s) {
                    soa = s;
                    break;
                }
            }
            long negative = soa == null || truncated ? 0
                    : Math.min(clamp(soa.getTTL(), maxNegativeTtl), clamp(soa.getMinimum(), maxNegativeTtl));
            SOARecord theSoa = soa;
            return ResponseTemplate.of(flags, answer, authority, additional,
                    (r, sec) -> r == theSoa ? negative : clamp(r.getTTL(), maxTtl), now, negative);
        }
        return ResponseTemplate.of(flags, answer, authority, additional, (r, sec) -> clamp(r.getTTL(), maxTtl), now,
                0);
    }

    /** QR, RA, AD, TC and the header RCODE of an upstream response as a header word. */
    private static int headerFlags(Message response) {
        int f = DnsWire.FLAG_QR | DnsWire.FLAG_RA;
        if (response.getHeader().getFlag(Flags.AD)) {
            f |= DnsWire.FLAG_AD;
        }
        if (response.getHeader().getFlag(Flags.TC)) {
            f |= DnsWire.FLAG_TC; // relayed as incomplete (RFC 2181 §9), never cached
        }
        return f | (response.getHeader().getRcode() & DnsWire.RCODE_MASK);
    }

    private static long clamp(long ttl, long max) {
        if (ttl < 0 || ttl > 0x7FFF_FFFFL) {
            return 0;
        }
        return Math.min(ttl, max);
    }
}
