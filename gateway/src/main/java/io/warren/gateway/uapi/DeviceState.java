package io.warren.gateway.uapi;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An immutable snapshot of a WireGuard device, what a UAPI {@code get} reports.
 *
 * @param privateKey the interface's private key, empty when none is set
 * @param listenPort the UDP port, 0 when not listening
 * @param fwmark the firewall mark of outgoing packets, an unsigned 32-bit value; 0 = off
 * @param peers the peers, in the order {@code get} lists them; public keys are unique
 */
public record DeviceState(Optional<UapiKey> privateKey, int listenPort, long fwmark, List<PeerState> peers) {

    /** A device with no key, no port, no mark and no peers. */
    public static final DeviceState EMPTY = new DeviceState(Optional.empty(), 0, 0, List.of());

    public DeviceState {
        Objects.requireNonNull(privateKey, "privateKey");
        if (privateKey.isPresent() && privateKey.get().isZero()) {
            throw new IllegalArgumentException("an absent private key is Optional.empty(), not zero");
        }
        if (listenPort < 0 || listenPort > 0xffff) {
            throw new IllegalArgumentException("listen port out of range: " + listenPort);
        }
        if (fwmark < 0 || fwmark > 0xffff_ffffL) {
            throw new IllegalArgumentException("fwmark out of range: " + fwmark);
        }
        peers = List.copyOf(peers);
        Set<UapiKey> seen = new HashSet<>();
        for (PeerState peer : peers) {
            if (!seen.add(peer.publicKey())) {
                throw new IllegalArgumentException("two peers share a public key");
            }
        }
    }

    /** The peer with this public key, if any. */
    public Optional<PeerState> peer(UapiKey publicKey) {
        return peers.stream().filter(p -> p.publicKey().equals(publicKey)).findFirst();
    }
}
