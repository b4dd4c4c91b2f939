package io.warren.gateway.dns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import io.warren.gateway.config.IpAddresses;

/**
 * Reads upstream servers from resolv.conf(5) text: {@code nameserver ADDRESS} lines, port 53.
 * Entries pointing at one of our own listen addresses are skipped (forwarding to ourselves would
 * loop): with a wildcard listen address on port 53 that includes the loopback addresses of its
 * family (an IPv6 wildcard socket is dual-stack and takes IPv4 loopback too). Skipped as well: the
 * unspecified addresses, multicast and broadcast addresses (a query there is answered, if at all,
 * by whoever is listening, from an address that is not the upstream), zone-scoped addresses and
 * anything not an IP literal.
 */
public final class ResolvConf {
    private static final int DNS_PORT = 53;

    private ResolvConf() {
    }

    /**
     * @param text   contents of resolv.conf
     * @param listen our own listen addresses
     * @return upstreams in file order, without duplicates
     */
    public static List<InetSocketAddress> nameservers(String text, Collection<InetSocketAddress> listen) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String raw : text.split("\r?\n")) {
            String line = raw.strip();
            if (line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            String[] f = line.split("\\s+");
            if (f.length < 2 || !f[0].equals("nameserver") || f[1].contains("%")) {
                continue;
            }
            Optional<InetAddress> a = IpAddresses.parse(f[1]);
            if (a.isEmpty() || a.get().isAnyLocalAddress() || a.get().isMulticastAddress() || broadcast(a.get())) {
                continue;
            }
            InetSocketAddress candidate = new InetSocketAddress(a.get(), DNS_PORT);
            boolean self = false;
            for (InetSocketAddress l : listen) {
                if (IpAddresses.reaches(candidate, l)) {
                    self = true;
                }
            }
            if (!self && !out.contains(candidate)) {
                out.add(candidate);
            }
        }
        return out;
    }

    private static boolean broadcast(InetAddress a) {
        byte[] b = a.getAddress();
        return b.length == 4 && b[0] == -1 && b[1] == -1 && b[2] == -1 && b[3] == -1;
    }

}
