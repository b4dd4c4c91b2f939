package io.warren.gateway.dns;

import org.xbill.DNS.Name;

/**
 * A validated client query: exactly one question, opcode QUERY, at most one OPT of version 0.
 *
 * @param id            the client's query id, echoed in the reply
 * @param recursionDesired RD bit, echoed (RFC 1035 §4.1.1)
 * @param checkingDisabled CD bit, echoed and forwarded (RFC 4035 §3.2.2)
 * @param name          question name with the client's letter case
 * @param type          question type
 * @param dclass        question class (always IN after parsing)
 * @param questionWire  the question section as the client sent it, uncompressed, echoed in replies
 * @param edns          whether the query carried an OPT RR
 * @param dnssecOk      DO bit of the client's OPT (RFC 3225)
 * @param udpLimit      largest UDP reply for this client: 512 without EDNS, else its payload size
 *                      clamped to [512, 1232]
 */
public record ClientQuery(int id, boolean recursionDesired, boolean checkingDisabled, Name name, int type, int dclass,
        byte[] questionWire, boolean edns, boolean dnssecOk, int udpLimit) {

    /** @return the reply size limit on {@code transport} */
    public int replyLimit(Transport transport) {
        return transport == Transport.TCP ? DnsWire.TCP_MAX_SIZE : udpLimit;
    }

    /** @return the cache key of this question */
    CacheKey cacheKey() {
        return CacheKey.of(questionWire, dnssecOk, checkingDisabled);
    }
}
