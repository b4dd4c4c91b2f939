package io.warren.testlab;

/**
 * A namespace acting as a NAT router between an inside (private) namespace and an outside (public)
 * one: {@code ip_forward=1} and an nftables {@code masquerade} on its WAN link. With {@code symmetric}
 * the rule is {@code masquerade random} (a new port per destination, symmetric NAT); without, the kernel
 * keeps the source port and maps endpoint-independently (shared/lab-notes.md). IPv4 only.
 *
 * <p>Numbering: in each given subnet the NAT box is host 1 and the neighbour namespace host 2. The inside
 * namespace gets a default route via the NAT box; the outside one learns no route to the inside.
 *
 * @param ns              the NAT box's own namespace
 * @param lanIf           NAT box interface towards the inside ({@code lan0})
 * @param wanIf           NAT box interface towards the outside ({@code wan0})
 * @param inside          the private namespace
 * @param insideIf        its interface towards the NAT box
 * @param insideAddress   its address, e.g. {@code 10.1.0.2}
 * @param insideGateway   the NAT box's LAN address, e.g. {@code 10.1.0.1}
 * @param outside         the public namespace
 * @param outsideIf       its interface towards the NAT box
 * @param outsideAddress  its address, e.g. {@code 10.2.0.2}
 * @param publicAddress   the NAT box's WAN address (what the outside sees as source), e.g. {@code 10.2.0.1}
 * @param symmetric       whether the mapping is per destination (masquerade random)
 */
public record NatBox(Netns ns, String lanIf, String wanIf,
                     Netns inside, String insideIf, String insideAddress, String insideGateway,
                     Netns outside, String outsideIf, String outsideAddress, String publicAddress,
                     boolean symmetric) {

    /** @return the nftables ruleset the NAT box loads */
    static String ruleset(String wanIf, boolean symmetric) {
        return "table ip nat {\n"
                + "  chain postrouting {\n"
                + "    type nat hook postrouting priority srcnat; policy accept;\n"
                + "    oifname \"" + wanIf + "\" masquerade" + (symmetric ? " random" : "") + "\n"
                + "  }\n"
                + "}\n";
    }
}
