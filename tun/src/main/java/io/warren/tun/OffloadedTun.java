package io.warren.tun;

import java.util.function.UnaryOperator;
import java.util.logging.Logger;

/**
 * Opens a TUN device with the offloads that make a tunnel's data path fast: a virtio-net header and
 * TSO/USO, so a local TCP sender's (or a GRO-aggregated forwarded) 64 KB segment is one read and a
 * coalesced one is one write. A kernel without UDP segmentation offload (before 6.2) gets the TCP
 * offloads only, and one that refuses those a plain device; only {@code EINVAL} (an offload
 * refusal) falls back, any other failure (permissions, name in use) is reported as it is.
 */
public final class OffloadedTun {
    private static final Logger LOG = Logger.getLogger(OffloadedTun.class.getName());

    /** TCP and UDP segmentation offloads with partial checksums. */
    public static final int FULL = IfTun.TUN_F_CSUM | IfTun.TUN_F_TSO4 | IfTun.TUN_F_TSO6 | IfTun.TUN_F_USO4
            | IfTun.TUN_F_USO6;
    /** TCP segmentation offloads only (kernels before 6.2 have no USO). */
    public static final int TCP_ONLY = IfTun.TUN_F_CSUM | IfTun.TUN_F_TSO4 | IfTun.TUN_F_TSO6;

    private OffloadedTun() {
    }

    /** The options with a virtio-net header and {@code offloads}. */
    public static TunOptions options(String name, int offloads) {
        return builder(name).vnetHdr(true).offloads(offloads).build();
    }

    /**
     * As {@link #open} with {@code IFF_MULTI_QUEUE} and {@code queues} queues (one fd each, the
     * offloads set on every one).
     */
    public static MultiQueueTun openMultiQueue(String name, int queues) throws TunException {
        return openOffloaded(name, b -> b.multiQueue(queues), LinuxTun::openMultiQueue);
    }

    /** Opens layer-3 device {@code name} with {@link #FULL}, else {@link #TCP_ONLY}, else none. */
    public static TunDevice open(String name) throws TunException {
        return openOffloaded(name, b -> b, LinuxTun::open);
    }

    /** How a device is opened from its options ({@link LinuxTun#open} or {@link LinuxTun#openMultiQueue}). */
    @FunctionalInterface
    private interface Opener<T> {
        T open(TunOptions options) throws TunException;
    }

    /** The offload fallback of both opens: {@link #FULL}, {@link #TCP_ONLY}, then none. */
    private static <T> T openOffloaded(String name, UnaryOperator<TunOptions.Builder> queues, Opener<T> opener)
            throws TunException {
        for (int offloads : new int[] {FULL, TCP_ONLY}) {
            try {
                return opener.open(queues.apply(builder(name).vnetHdr(true).offloads(offloads)).build());
            } catch (TunException e) {
                if (e.errno() != Errno.EINVAL.number()) {
                    throw e;
                }
                LOG.fine(name + ": offloads " + Integer.toHexString(offloads) + " refused: " + e.getMessage());
            }
        }
        LOG.warning(name + ": the kernel refused TUN offloads; running without them (slower)");
        return opener.open(queues.apply(builder(name)).build());
    }

    private static TunOptions.Builder builder(String name) {
        return TunOptions.builder().name(name).mode(TunMode.TUN);
    }
}
