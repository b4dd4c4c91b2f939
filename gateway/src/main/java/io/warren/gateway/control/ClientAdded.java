package io.warren.gateway.control;

import java.util.List;

/**
 * The result of {@code client-add}.
 *
 * @param name         the new peer's name
 * @param iface        the interface it was added to
 * @param address      the client's tunnel address, with prefix length
 * @param clientConfig the wg-quick client config: it holds the client's private key, and is sent
 *                     only to the caller who asked for it (never logged)
 * @param reload       what the reload that followed reported
 */
public record ClientAdded(String name, String iface, String address, String clientConfig, List<String> reload) {
    public ClientAdded {
        reload = List.copyOf(reload);
    }

    @Override
    public String toString() {
        return "ClientAdded[" + name + " on " + iface + " at " + address + "]";
    }
}
