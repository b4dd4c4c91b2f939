package io.warren.gateway.dns;

import java.io.IOException;

import io.warren.gateway.config.DnsRecord;

import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Turns a configured {@link DnsRecord} into a dnsjava {@link Record}: owner and names in the data
 * are absolute (relative to the root), data in zone-file syntax (RFC 1035 §5.1). The config parser
 * has already checked the same conversion, so a failure here is a programming error.
 */
final class StaticRecordText {

    private StaticRecordText() {
    }

    /** @param defaultTtl seconds, for a record without its own TTL */
    static Record toRecord(DnsRecord r, long defaultTtl) {
        try {
            Name owner = Name.fromString(r.name(), Name.root);
            return Record.fromString(owner, Type.value(r.type()), DClass.IN, r.ttl().orElse(defaultTtl), r.data(),
                    Name.root);
        } catch (IOException e) { // TextParseException included
            throw new IllegalArgumentException("bad static record " + r + ": " + e.getMessage(), e);
        }
    }
}
