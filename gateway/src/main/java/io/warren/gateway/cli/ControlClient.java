package io.warren.gateway.cli;

/** Requests a running daemon answers over its control socket. Replies are printable text. */
public interface ControlClient extends AutoCloseable {

    /** Interfaces, peers (handshake age, bytes), tunnels and leases; JSON if {@code json}. */
    String status(boolean json) throws ControlException;

    /** Re-reads the config file and applies the difference; the reply summarises what changed. */
    String reload() throws ControlException;

    /**
     * Adds a remote-access client: the daemon picks an address, adds the peer to the config file
     * and the running interface, and replies with a ready-to-import wg-quick client config.
     *
     * @param name  peer name (a DNS label)
     * @param iface interface to add it to, or null for the only/first one
     */
    String addClient(String name, String iface) throws ControlException;

    /**
     * Adds a remote-access client with the gateway's public endpoint and the client's allowed IPs.
     *
     * @param endpoint   the gateway's {@code HOST[:PORT]} as clients reach it, or null
     * @param allowedIps prefixes the client routes into the tunnel; empty for the gateway's networks
     */
    default String addClient(String name, String iface, String endpoint, java.util.List<String> allowedIps)
            throws ControlException {
        if (endpoint != null || !allowedIps.isEmpty()) {
            throw new ControlException("this control client does not support --endpoint or --allowed-ips");
        }
        return addClient(name, iface);
    }

    @Override
    void close();
}
