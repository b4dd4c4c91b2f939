package io.warren.gateway.dhcp;

/**
 * Input the server ignored while still answering the message (unlike {@link DhcpDropReason}, which
 * drops the datagram); each value is a counter.
 */
public enum DhcpIgnoredReason {
    /**
     * A malformed option 81, Client FQDN (RFC 4702 §2): truncated, S and N both set, a compression
     * pointer, a label past the option or not an RFC 1123 host label. The message is answered as if
     * the option were absent (option 12 names the client if present).
     */
    MALFORMED_FQDN
}
