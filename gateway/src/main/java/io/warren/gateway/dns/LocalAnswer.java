package io.warren.gateway.dns;

import java.util.List;

import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;

/** Outcome of {@link LocalZone#lookup}. */
public sealed interface LocalAnswer {

    /** The name exists locally and has records of the asked type. */
    record Records(List<Record> answer) implements LocalAnswer {
        public Records {
            answer = List.copyOf(answer);
        }
    }

    /** The name exists locally but has no records of this type (NOERROR, empty answer, SOA). */
    record NoData(SOARecord soa) implements LocalAnswer {
    }

    /** The name is inside a local domain and does not exist (NXDOMAIN with SOA, RFC 2308 §2.1). */
    record NxDomain(SOARecord soa) implements LocalAnswer {
    }

    /** Not a local name: resolve it from the cache or upstream. */
    record NotLocal() implements LocalAnswer {
    }
}
