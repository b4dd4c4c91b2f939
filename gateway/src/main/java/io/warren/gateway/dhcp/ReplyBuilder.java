package io.warren.gateway.dhcp;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * Builds server replies: the header fields of RFC 2131 §4.3.1 Table 3 and the options, in
 * dnsmasq's order (53, 54, 51, 58, 59, then the pool's: 1, 28, 15, 6, 3, 12, extras), the client
 * identifier echoed (RFC 6842 §3), the server's Client FQDN option (RFC 4702 §4) after the host name and the relay agent information echoed last (RFC 3046 §2.2).
 * A static host with its own router, DNS or options gets those in place of the pool's. The pool's basic options (1, 3, 6, 15, 28)
 * are always sent; the admin's extra options only when the client asks for them in option 55, or
 * sends no option 55 (RFC 2131 §4.3.1 lets the server send options the client did not ask for).
 */
final class ReplyBuilder {

    private ReplyBuilder() {
    }

    /**
     * An OFFER or ACK binding {@code yiaddr} for {@code leaseSeconds}; leaseSeconds &lt; 0 for INFORM
     * (no lease options). {@code clientFqdn} is the server's option 81 value (RFC 4702 §4), if any.
     */
    static DhcpMessage build(DhcpMessageType type, DhcpMessage req, int serverId, int yiaddr, long leaseSeconds,
                             DhcpPool pool, Optional<String> hostName, Optional<byte[]> clientFqdn) {
        DhcpOptions.Builder o = DhcpOptions.builder().messageType(type).addInt(DhcpWire.OPT_SERVER_ID, serverId);
        if (leaseSeconds >= 0) {
            o.addInt(DhcpWire.OPT_LEASE_TIME, (int) leaseSeconds);
            o.addInt(DhcpWire.OPT_RENEWAL_TIME, (int) (leaseSeconds / 2)); // T1, RFC 2131 §4.4.5
            o.addInt(DhcpWire.OPT_REBINDING_TIME, (int) (leaseSeconds * 7 / 8)); // T2
        }
        int[] prl = req.options().parameterRequestList();
        boolean askedNothing = !req.options().has(DhcpWire.OPT_PARAMETER_REQUEST_LIST);
        for (Map.Entry<Integer, byte[]> e : pool.optionsFor(pool.host(req)).entrySet()) {
            int code = e.getKey();
            if (isBasic(code) || askedNothing || contains(prl, code)) {
                o.add(code, e.getValue());
            }
        }
        hostName.ifPresent(h -> o.put(DhcpWire.OPT_HOST_NAME, h.getBytes(StandardCharsets.US_ASCII)));
        clientFqdn.ifPresent(f -> o.put(DhcpWire.OPT_CLIENT_FQDN, f)); // RFC 4702 §4
        req.options().clientId().ifPresent(id -> o.put(DhcpWire.OPT_CLIENT_ID, id)); // RFC 6842 §3
        req.options().relayAgentInfo().ifPresent(r -> o.add(DhcpWire.OPT_RELAY_AGENT_INFO, r));
        int ciaddr = type == DhcpMessageType.DHCPOFFER ? 0 : req.ciaddr();
        return new DhcpMessage(DhcpWire.BOOTREPLY, req.htype(), req.hlen(), 0, req.xid(), 0,
                ReplyRouting.replyFlags(req, false), ciaddr, yiaddr, 0, req.giaddr(),
                req.chaddr(), new byte[0], new byte[0], o.build());
    }

    /** A NAK (RFC 2131 §4.3.2, Table 3: only 53, 54, 56 and the echoed client-id may be sent). */
    static DhcpMessage nak(DhcpMessage req, int serverId, String why) {
        DhcpOptions.Builder o = DhcpOptions.builder().messageType(DhcpMessageType.DHCPNAK)
                .addInt(DhcpWire.OPT_SERVER_ID, serverId)
                .add(DhcpWire.OPT_MESSAGE, why.getBytes(StandardCharsets.US_ASCII));
        req.options().clientId().ifPresent(id -> o.add(DhcpWire.OPT_CLIENT_ID, id));
        req.options().relayAgentInfo().ifPresent(r -> o.add(DhcpWire.OPT_RELAY_AGENT_INFO, r));
        return new DhcpMessage(DhcpWire.BOOTREPLY, req.htype(), req.hlen(), 0, req.xid(), 0,
                ReplyRouting.replyFlags(req, true), 0, 0, 0, req.giaddr(),
                req.chaddr(), new byte[0], new byte[0], o.build());
    }

    private static boolean isBasic(int code) {
        return code == DhcpWire.OPT_SUBNET_MASK || code == DhcpWire.OPT_ROUTER || code == DhcpWire.OPT_DNS
                || code == DhcpWire.OPT_DOMAIN_NAME || code == DhcpWire.OPT_BROADCAST_ADDRESS;
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }
}
