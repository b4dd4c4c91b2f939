package io.warren.tun;

/**
 * Constants of the Linux TUN/TAP driver ({@code include/uapi/linux/if_tun.h}, x86_64 ioctl
 * encodings) and of {@code struct ifreq} ({@code include/uapi/linux/if.h}); all in one place.
 */
public final class IfTun {
    /** {@code _IOW('T', 202, int)}: attach the fd to a device, argument {@code struct ifreq *}. */
    public static final long TUNSETIFF = 0x400454caL;
    /** {@code _IOR('T', 207, unsigned int)}: supported {@code IFF_*} flags. */
    public static final long TUNGETFEATURES = 0x800454cfL;
    /** {@code _IOW('T', 208, unsigned int)}: offload flags, passed as the argument value. */
    public static final long TUNSETOFFLOAD = 0x400454d0L;
    /** {@code _IOR('T', 210, unsigned int)}: current {@code struct ifreq} (name and flags). */
    public static final long TUNGETIFF = 0x800454d2L;
    /** {@code _IOW('T', 216, int)}: virtio-net header size, argument {@code int *}. */
    public static final long TUNSETVNETHDRSZ = 0x400454d8L;
    /** {@code SIOCGIFMTU} from {@code linux/sockios.h}: MTU into {@code ifr_mtu}. */
    public static final long SIOCGIFMTU = 0x8921L;

    /** Layer 3 device. */
    public static final int IFF_TUN = 0x0001;
    /** Layer 2 device. */
    public static final int IFF_TAP = 0x0002;
    /** Several fds share one device, one queue each. */
    public static final int IFF_MULTI_QUEUE = 0x0100;
    /** No 4-byte {@code struct tun_pi} before each packet (always set here). */
    public static final int IFF_NO_PI = 0x1000;
    /** A {@code struct virtio_net_hdr} precedes each packet. */
    public static final int IFF_VNET_HDR = 0x4000;

    /** The kernel may hand over packets with a partial checksum (required by every other offload). */
    public static final int TUN_F_CSUM = 0x01;
    /** TCP segmentation offload, IPv4. */
    public static final int TUN_F_TSO4 = 0x02;
    /** TCP segmentation offload, IPv6. */
    public static final int TUN_F_TSO6 = 0x04;
    /** TSO with ECN bits. */
    public static final int TUN_F_TSO_ECN = 0x08;
    /** UDP segmentation offload (UDP_SEGMENT / GSO_UDP_L4), IPv4. */
    public static final int TUN_F_USO4 = 0x20;
    /** UDP segmentation offload, IPv6. */
    public static final int TUN_F_USO6 = 0x40;
    /** Every offload flag this layer knows. */
    public static final int TUN_F_ALL = TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_TSO_ECN
            | TUN_F_USO4 | TUN_F_USO6;

    /** {@code IFNAMSIZ}: interface names are at most 15 bytes plus NUL. */
    public static final int IFNAMSIZ = 16;
    /** {@code sizeof(struct ifreq)} on 64-bit Linux. */
    public static final int IFREQ_SIZE = 40;
    /** Offset of {@code ifr_flags} (short) and {@code ifr_mtu} (int) in {@code struct ifreq}. */
    public static final int IFREQ_UNION_OFFSET = 16;
    /** Size of {@code struct virtio_net_hdr} as configured with {@code TUNSETVNETHDRSZ}. */
    public static final int VNET_HDR_SIZE = VirtioNetHeader.SIZE;

    private IfTun() {
    }
}
