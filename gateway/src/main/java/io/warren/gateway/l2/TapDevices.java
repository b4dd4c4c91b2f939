package io.warren.gateway.l2;

import io.warren.tun.Errno;
import io.warren.tun.IfTun;
import io.warren.tun.LinuxTun;
import io.warren.tun.TunDevice;
import io.warren.tun.TunException;
import io.warren.tun.TunMode;
import io.warren.tun.TunOptions;
import java.util.List;
import java.util.logging.Logger;

/**
 * Opens the TAP device of an L2 tunnel with the offloads that make its data path fast: a
 * virtio-net header, checksum offload, TSO and USO ({@code TUNSETOFFLOAD}), so the local stack hands
 * over 64 KB TCP super-frames and takes merged ones back. A kernel without USO (before 6.2) gets TCP
 * offloads only, and one that refuses those a plain TAP (one frame per read and write).
 */
final class TapDevices {
    private static final Logger LOG = Logger.getLogger(TapDevices.class.getName());
    private static final int TCP = IfTun.TUN_F_CSUM | IfTun.TUN_F_TSO4 | IfTun.TUN_F_TSO6;
    private static final int ALL = TCP | IfTun.TUN_F_USO4 | IfTun.TUN_F_USO6;

    private TapDevices() {
    }

    /** The options tried first: TAP, virtio-net header, CSUM, TSO4/6, USO4/6. */
    static TunOptions offloaded(String name) {
        return TunOptions.builder().name(name).mode(TunMode.TAP).vnetHdr(true).offloads(ALL).build();
    }

    /** Opens {@code name} (in the calling thread's namespace) with the most offloads the kernel takes. */
    static TunDevice open(String name) throws TunException {
        List<TunOptions> attempts = List.of(offloaded(name),
                TunOptions.builder().name(name).mode(TunMode.TAP).vnetHdr(true).offloads(TCP).build());
        for (TunOptions o : attempts) {
            try {
                return LinuxTun.open(o);
            } catch (TunException e) {
                if (e.errno() != Errno.EINVAL.number()) {
                    throw e; // not an offload refusal (permissions, name in use...): report it as it is
                }
                LOG.fine(name + ": TAP offloads 0x" + Integer.toHexString(o.offloads()) + " refused: " + e.getMessage());
            }
        }
        LOG.warning(name + ": the kernel refused TAP offloads; running without them (slower)");
        return LinuxTun.open(TunOptions.builder().name(name).mode(TunMode.TAP).build());
    }
}
