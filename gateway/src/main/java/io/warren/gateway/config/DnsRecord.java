package io.warren.gateway.config;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A static DNS record, {@code [[dns.record]]}, like dnsmasq's host-record, cname, txt-record,
 * mx-host and srv-host: answered by the gateway itself, never forwarded.
 *
 * @param name absolute owner name without the trailing dot, e.g. {@code nas.lan}
 * @param type one of {@link #TYPES}, upper case
 * @param data the RDATA in zone-file syntax (RFC 1035 §5.1), e.g. {@code 10 mail.lan} for MX;
 *             names in it are absolute (a trailing dot is optional); validated by dnsjava
 * @param ttl  seconds, when the record has its own; otherwise the local-name TTL
 */
public record DnsRecord(String name, String type, String data, Optional<Long> ttl) {

    /** Supported record types. */
    public static final Set<String> TYPES = Set.of("A", "AAAA", "CNAME", "MX", "TXT", "PTR", "SRV");

    public DnsRecord {
        type = type.toUpperCase(Locale.ROOT);
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException("unsupported record type " + type);
        }
    }
}
