package io.warren.testlab;

/**
 * An IPv4 subnet such as {@code 10.1.0.0/24}, used by the NAT box to number its links: host 1 is the
 * NAT box, host 2 the neighbour namespace.
 *
 * @param network   network address as an unsigned 32-bit value (host bits cleared)
 * @param prefixLen prefix length, 1..30
 */
record Ipv4Cidr(long network, int prefixLen) {

    Ipv4Cidr {
        if (prefixLen < 1 || prefixLen > 30) {
            throw new IllegalArgumentException("prefix length must be 1..30 to hold two hosts: " + prefixLen);
        }
    }

    /** Parses {@code a.b.c.d/len}; host bits are cleared. */
    static Ipv4Cidr parse(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("not a CIDR (a.b.c.d/len): " + cidr);
        }
        String[] octets = cidr.substring(0, slash).split("\\.", -1);
        if (octets.length != 4) {
            throw new IllegalArgumentException("not an IPv4 CIDR: " + cidr);
        }
        long addr = 0;
        for (String o : octets) {
            int v = Integer.parseInt(o);
            if (v < 0 || v > 255) {
                throw new IllegalArgumentException("octet out of range in " + cidr);
            }
            addr = (addr << 8) | v;
        }
        int len = Integer.parseInt(cidr.substring(slash + 1));
        long mask = len == 0 ? 0 : (0xFFFF_FFFFL << (32 - len)) & 0xFFFF_FFFFL;
        return new Ipv4Cidr(addr & mask, len);
    }

    /** @return dotted address of host number {@code n} in this subnet */
    String host(int n) {
        long a = network + n;
        return ((a >>> 24) & 0xFF) + "." + ((a >>> 16) & 0xFF) + "." + ((a >>> 8) & 0xFF) + "." + (a & 0xFF);
    }

    /** @return host {@code n} with the prefix length, e.g. {@code 10.1.0.1/24} */
    String hostCidr(int n) {
        return host(n) + "/" + prefixLen;
    }
}
