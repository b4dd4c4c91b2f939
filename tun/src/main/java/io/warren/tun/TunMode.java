package io.warren.tun;

/**
 * Kind of virtual device, from {@code linux/if_tun.h}: {@code IFF_TUN} carries IP packets (layer 3),
 * {@code IFF_TAP} carries Ethernet frames (layer 2).
 */
public enum TunMode {
    /** Layer 3: each read or write is one IPv4 or IPv6 packet. */
    TUN(IfTun.IFF_TUN),
    /** Layer 2: each read or write is one Ethernet frame (no FCS). */
    TAP(IfTun.IFF_TAP);

    private final int iffFlag;

    TunMode(int iffFlag) {
        this.iffFlag = iffFlag;
    }

    /** The {@code IFF_TUN} or {@code IFF_TAP} bit for {@code TUNSETIFF}. */
    public int iffFlag() {
        return iffFlag;
    }
}
