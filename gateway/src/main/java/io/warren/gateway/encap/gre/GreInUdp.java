package io.warren.gateway.encap.gre;

/**
 * GRE-in-UDP (RFC 8086): the same GRE header as {@link GreCodec} directly after a UDP header,
 * decoded and encoded with the same codec. Rules of RFC 8086 the transport shell must follow:
 * <ul>
 *   <li>Destination port {@link #PORT} (4754) for GRE-in-UDP; 4755 is GRE-in-UDP with DTLS and is
 *       not supported here.</li>
 *   <li>The UDP source port is an entropy field derived from the inner flow and SHOULD be in the
 *       ephemeral range 49152-65535 (see {@code FlowHash} in the VXLAN package for the mapping).</li>
 *   <li>UDP checksum, IPv4: processed as in RFC 768 / RFC 1122 on receive; an encapsulator MAY
 *       send a zero UDP checksum, which the decapsulator must then accept.</li>
 *   <li>UDP checksum, IPv6: a zero UDP checksum is only allowed under the conditions of RFC 6935 /
 *       RFC 6936, which RFC 8086 permits in a traffic-managed controlled environment only; in the
 *       general Internet the UDP checksum is used.</li>
 *   <li>The GRE checksum (C bit) is redundant when the UDP checksum is non-zero and is normally
 *       not set; if received it is still verified by {@link GreCodec#decode}.</li>
 *   <li>The GRE header, key and sequence number keep their RFC 2784 / RFC 2890 meaning.</li>
 * </ul>
 */
public final class GreInUdp {

    /** IANA UDP destination port "GRE-in-UDP". */
    public static final int PORT = 4754;
    /** IANA UDP destination port "GRE-UDP-DTLS" (not implemented). */
    public static final int PORT_DTLS = 4755;

    private GreInUdp() {
    }
}
