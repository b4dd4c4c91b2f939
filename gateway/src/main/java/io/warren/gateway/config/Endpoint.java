package io.warren.gateway.config;

import java.util.Optional;

/**
 * A UDP endpoint as an admin writes it: {@code host:port}, {@code 192.0.2.1:51820} or
 * {@code [2001:db8::1]:51820}. Host names are kept unresolved; the daemon resolves them.
 *
 * @param host an IP literal (IPv6 without brackets) or a host name
 * @param port 1..65535
 */
public record Endpoint(String host, int port) {

    /** Parses {@code host:port}; empty if malformed. */
    public static Optional<Endpoint> parse(String text) {
        return parse(text, -1);
    }

    /**
     * Parses {@code host:port}, or a bare host when {@code defaultPort} is positive.
     * A bare IPv6 address is accepted with a default port; with a port it needs brackets.
     */
    public static Optional<Endpoint> parse(String text, int defaultPort) {
        String s = text.strip();
        String host;
        String port;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                return Optional.empty();
            }
            host = s.substring(1, close);
            String rest = s.substring(close + 1);
            if (rest.isEmpty()) {
                port = null;
            } else if (rest.startsWith(":")) {
                port = rest.substring(1);
            } else {
                return Optional.empty();
            }
            if (IpAddresses.parse(host).filter(a -> a.getAddress().length == 16).isEmpty()) {
                return Optional.empty();
            }
        } else if (s.indexOf(':') != s.lastIndexOf(':')) {
            host = s; // bare IPv6
            port = null;
            if (IpAddresses.parse(host).isEmpty()) {
                return Optional.empty();
            }
        } else {
            int colon = s.indexOf(':');
            host = colon < 0 ? s : s.substring(0, colon);
            port = colon < 0 ? null : s.substring(colon + 1);
            if (IpAddresses.parse(host).isEmpty() && !IpAddresses.isHostName(host)) {
                return Optional.empty();
            }
        }
        int p;
        if (port == null) {
            if (defaultPort <= 0) {
                return Optional.empty();
            }
            p = defaultPort;
        } else {
            if (!port.matches("\\d{1,5}")) {
                return Optional.empty();
            }
            p = Integer.parseInt(port);
            if (p < 1 || p > 65535) {
                return Optional.empty();
            }
        }
        return Optional.of(new Endpoint(host, p));
    }

    /** True if the host is an IP literal (needs no DNS). */
    public boolean isLiteral() {
        return IpAddresses.parse(host).isPresent();
    }

    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
