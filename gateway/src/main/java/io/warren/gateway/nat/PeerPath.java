package io.warren.gateway.nat;

import java.util.Locale;

/** How traffic to a peer travels. */
public enum PeerPath {
    /** Straight to the peer's endpoint (every configured peer, and a punched spoke). */
    DIRECT,
    /** A spoke that the hub introduced, being handshaken directly; traffic still goes via the hub. */
    PROBING,
    /** Through the hub, which routes between spokes (hole punching failed, or the path died). */
    VIA_HUB;

    /** {@code direct}, {@code probing}, {@code via-hub}: for status and the meter label. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
