package io.warren.tun;

import java.nio.charset.StandardCharsets;

/**
 * How to open a TUN/TAP device: name (or a template such as {@code wt%d}), mode, number of queues
 * ({@code IFF_MULTI_QUEUE}), virtio-net header and offloads ({@code TUNSETVNETHDRSZ},
 * {@code TUNSETOFFLOAD}), and blocking behaviour. {@code IFF_NO_PI} is always set and devices are
 * never persistent: the interface disappears when its last fd is closed. Immutable; validated in
 * {@link Builder#build()}.
 */
public final class TunOptions {
    private final String name;
    private final TunMode mode;
    private final int queues;
    private final boolean multiQueue;
    private final boolean vnetHdr;
    private final int offloads;
    private final boolean nonBlocking;

    private TunOptions(Builder b) {
        this.name = b.name;
        this.mode = b.mode;
        this.queues = b.queues;
        this.multiQueue = b.multiQueue;
        this.vnetHdr = b.vnetHdr;
        this.offloads = b.offloads;
        this.nonBlocking = b.nonBlocking;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Name or template; empty means the kernel's default template ({@code tun%d}, {@code tap%d}). */
    public String name() {
        return name;
    }

    public TunMode mode() {
        return mode;
    }

    /** Number of queues (fds) to open; 1 unless {@link Builder#multiQueue(int)} was used. */
    public int queues() {
        return queues;
    }

    /** True when {@code IFF_MULTI_QUEUE} is requested. */
    public boolean multiQueue() {
        return multiQueue;
    }

    public boolean vnetHdr() {
        return vnetHdr;
    }

    /** {@code TUN_F_*} flags for {@code TUNSETOFFLOAD}; 0 when none. */
    public int offloads() {
        return offloads;
    }

    /** True when {@link TunDevice#read} returns 0 instead of waiting. */
    public boolean nonBlocking() {
        return nonBlocking;
    }

    /** The {@code ifr_flags} for {@code TUNSETIFF}. */
    int iffFlags() {
        int flags = mode.iffFlag() | IfTun.IFF_NO_PI;
        if (multiQueue) {
            flags |= IfTun.IFF_MULTI_QUEUE;
        }
        if (vnetHdr) {
            flags |= IfTun.IFF_VNET_HDR;
        }
        return flags;
    }

    @Override
    public String toString() {
        return "TunOptions[name=" + name + ", mode=" + mode + ", queues=" + queues
                + ", multiQueue=" + multiQueue + ", vnetHdr=" + vnetHdr
                + ", offloads=0x" + Integer.toHexString(offloads) + ", nonBlocking=" + nonBlocking + "]";
    }

    /** Builder; every setter returns {@code this}. */
    public static final class Builder {
        private String name = "";
        private TunMode mode = TunMode.TUN;
        private int queues = 1;
        private boolean multiQueue;
        private boolean vnetHdr;
        private int offloads;
        private boolean nonBlocking;

        private Builder() {
        }

        /** Interface name, or a template with one {@code %d} ({@code wt%d}); at most 15 bytes. */
        public Builder name(String name) {
            this.name = name == null ? "" : name;
            return this;
        }

        public Builder mode(TunMode mode) {
            if (mode == null) {
                throw new IllegalArgumentException("mode must not be null");
            }
            this.mode = mode;
            return this;
        }

        /** Opens {@code queues} fds on one device with {@code IFF_MULTI_QUEUE}. */
        public Builder multiQueue(int queues) {
            if (queues < 1 || queues > 256) {
                throw new IllegalArgumentException("queues must be 1..256, got " + queues);
            }
            this.queues = queues;
            this.multiQueue = true;
            return this;
        }

        /** Prefix every packet with a {@link VirtioNetHeader} ({@code IFF_VNET_HDR}, size 10). */
        public Builder vnetHdr(boolean vnetHdr) {
            this.vnetHdr = vnetHdr;
            return this;
        }

        /** {@code TUN_F_*} offloads ({@link IfTun}); need {@link #vnetHdr(boolean) vnetHdr(true)}. */
        public Builder offloads(int offloads) {
            this.offloads = offloads;
            return this;
        }

        /** Reads return 0 instead of waiting when no packet is ready. */
        public Builder nonBlocking(boolean nonBlocking) {
            this.nonBlocking = nonBlocking;
            return this;
        }

        /** Validates and builds; throws {@link IllegalArgumentException} naming the bad setting. */
        public TunOptions build() {
            if (name.getBytes(StandardCharsets.US_ASCII).length >= IfTun.IFNAMSIZ
                    || !name.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '/' && c != ':')) {
                throw new IllegalArgumentException("interface name must be 1-15 printable ASCII"
                        + " characters without '/', ':' or spaces, got \"" + name + "\"");
            }
            if (name.indexOf('%') >= 0 && (!name.contains("%d") || name.indexOf('%') != name.lastIndexOf('%'))) {
                throw new IllegalArgumentException("a name template takes exactly one %d, got \"" + name + "\"");
            }
            if ((offloads & ~IfTun.TUN_F_ALL) != 0) {
                throw new IllegalArgumentException("unknown offload flags 0x"
                        + Integer.toHexString(offloads & ~IfTun.TUN_F_ALL));
            }
            if (offloads != 0 && !vnetHdr) {
                throw new IllegalArgumentException("offloads need vnetHdr(true): the kernel describes"
                        + " offloaded packets in the virtio-net header");
            }
            if (offloads != 0 && (offloads & IfTun.TUN_F_CSUM) == 0) {
                throw new IllegalArgumentException("TSO/USO offloads need TUN_F_CSUM as well"
                        + " (the kernel rejects them with EINVAL otherwise)");
            }
            return new TunOptions(this);
        }
    }
}
