package io.warren.gateway.config;

import io.warren.routing.Mac;
import java.util.Objects;
import java.util.Optional;

/**
 * A static entry of an L2 tunnel's MAC table ({@code static-macs} of {@code [tunnel.NAME]}): frames
 * to {@code mac} go to one place without learning or flooding, and the entry never ages nor moves
 * (IEEE 802.1Q-2018 §8.8.1, static filtering entries). An admin pins a router or server this way, or
 * pins a local host so a frame from a remote claiming its address cannot steal it.
 *
 * @param mac    a unicast MAC address
 * @param remote the remote endpoint it lives behind, as written in {@code remote} (an address or
 *               host name of the tunnel's remote list); empty for the local side (the TAP and the
 *               LAN behind it)
 */
public record StaticMac(Mac mac, Optional<String> remote) {
    public StaticMac {
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(remote, "remote");
        if (Mac.isGroup(mac.bits())) {
            throw new IllegalArgumentException("a static MAC entry needs a unicast address: " + mac);
        }
    }

    /** An entry on the local side. */
    public static StaticMac local(Mac mac) {
        return new StaticMac(mac, Optional.empty());
    }

    /** An entry behind remote endpoint {@code remote}. */
    public static StaticMac behind(Mac mac, String remote) {
        return new StaticMac(mac, Optional.of(remote));
    }

    @Override
    public String toString() {
        return Mac.format(mac.bits()) + " -> " + remote.orElse("local");
    }
}
