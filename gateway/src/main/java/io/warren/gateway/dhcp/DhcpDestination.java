package io.warren.gateway.dhcp;

/**
 * Where a reply goes, per RFC 2131 §4.1 (see {@link ReplyRouting}).
 *
 * @param address   IPv4 destination as an int; 0xffffffff for the limited broadcast
 * @param port      67 towards a relay, 68 towards a client
 * @param broadcast true for the limited broadcast out of the receiving interface
 */
public record DhcpDestination(int address, int port, boolean broadcast) {

    /** 255.255.255.255:68. */
    public static final DhcpDestination BROADCAST = new DhcpDestination(0xffffffff, DhcpWire.CLIENT_PORT, true);
}
