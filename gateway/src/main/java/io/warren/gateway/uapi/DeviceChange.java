package io.warren.gateway.uapi;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One whole {@code set=1} request as a transaction: a device applies all of it or nothing.
 * The fields mirror the kernel's {@code WGDEVICE_A_*} netlink attributes.
 *
 * @param privateKey a new private key; {@link UapiKey#ZERO} removes the key
 * @param listenPort a new listen port, 0..65535 (0 = pick one)
 * @param fwmark a new firewall mark, unsigned 32-bit (0 = off)
 * @param replacePeers {@code replace_peers=true}: remove every peer before the peer changes
 * @param peers the peer sections, in request order (the same key may appear twice)
 */
public record DeviceChange(
        Optional<UapiKey> privateKey,
        OptionalInt listenPort,
        OptionalLong fwmark,
        boolean replacePeers,
        List<PeerChange> peers) {

    public DeviceChange {
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(listenPort, "listenPort");
        Objects.requireNonNull(fwmark, "fwmark");
        peers = List.copyOf(peers);
    }

    /** Whether the request changes nothing at all ({@code set=1} followed by a blank line). */
    public boolean isEmpty() {
        return privateKey.isEmpty() && listenPort.isEmpty() && fwmark.isEmpty() && !replacePeers
                && peers.isEmpty();
    }
}
