package io.warren.tun;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * Opens TUN/TAP devices on {@code /dev/net/tun} ({@code Documentation/networking/tuntap.rst}):
 * {@code open(O_RDWR|O_CLOEXEC|O_NONBLOCK)}, {@code TUNSETIFF} with {@code IFF_NO_PI}, then for
 * {@code IFF_VNET_HDR} {@code TUNSETVNETHDRSZ} 10 and {@code TUNSETOFFLOAD}. Every fd opened is
 * closed again on every failure path. The device is created in the network namespace of the
 * calling thread.
 */
public final class LinuxTun {
    static final String CLONE_DEVICE = "/dev/net/tun";

    private LinuxTun() {
    }

    /** Opens a single-queue device; use {@link #openMultiQueue} when {@code multiQueue} is set. */
    public static LinuxTunDevice open(TunOptions options) throws TunException {
        if (options.multiQueue()) {
            throw new IllegalArgumentException("options ask for IFF_MULTI_QUEUE: use openMultiQueue");
        }
        List<LinuxTunDevice> devices = openQueues(options);
        return devices.get(0);
    }

    /** Opens {@code options.queues()} fds on one device with {@code IFF_MULTI_QUEUE}. */
    public static MultiQueueTun openMultiQueue(TunOptions options) throws TunException {
        if (!options.multiQueue()) {
            throw new IllegalArgumentException("options do not ask for IFF_MULTI_QUEUE: use open");
        }
        List<LinuxTunDevice> queues = openQueues(options);
        return new MultiQueueTun(queues.get(0).name(), queues, queues.get(0).controlForQueues());
    }

    private static List<LinuxTunDevice> openQueues(TunOptions options) throws TunException {
        LibC libc = Native.LIBC;
        int n = options.queues();
        int[] fds = new int[n];
        int[] wakeFds = new int[n];
        Arrays.fill(fds, -1);
        Arrays.fill(wakeFds, -1);
        ControlSocket control = null;
        boolean success = false;
        String name = options.name();
        String kind = options.mode().name();
        Pointer ifreq = Memory.allocateDirect(Native.RUNTIME, IfTun.IFREQ_SIZE, true);
        Pointer hdrSize = Memory.allocateDirect(Native.RUNTIME, 4, true);
        hdrSize.putInt(0, IfTun.VNET_HDR_SIZE);
        try {
            for (int i = 0; i < n; i++) {
                String label = name.isEmpty() ? "(kernel-named)" : name;
                fds[i] = libc.open(CLONE_DEVICE, LibC.O_RDWR | LibC.O_CLOEXEC | LibC.O_NONBLOCK);
                if (fds[i] < 0) {
                    int errno = Native.errno();
                    throw TunException.of("cannot create " + kind + " device " + label + ": cannot open "
                            + CLONE_DEVICE, errno, TunException.openHint(errno));
                }
                ifreq.setMemory(0, IfTun.IFREQ_SIZE, (byte) 0);
                ControlSocket.putName(ifreq, name);
                ifreq.putShort(IfTun.IFREQ_UNION_OFFSET, (short) options.iffFlags());
                if (libc.ioctl(fds[i], IfTun.TUNSETIFF, ifreq) < 0) {
                    int errno = Native.errno();
                    String queue = n > 1 ? " (queue " + i + " of " + n + ")" : "";
                    throw TunException.of("cannot create " + kind + " device " + label + queue, errno,
                            TunException.setIffHint(errno, options.mode()));
                }
                // A template ("wt%d") or an empty name is resolved by the first TUNSETIFF.
                name = ControlSocket.getName(ifreq);
                if (options.vnetHdr()) {
                    if (libc.ioctl(fds[i], IfTun.TUNSETVNETHDRSZ, hdrSize) < 0) {
                        int errno = Native.errno();
                        throw TunException.of("cannot set virtio-net header size on " + kind + " device "
                                + name, errno, null);
                    }
                    if (libc.ioctl(fds[i], IfTun.TUNSETOFFLOAD, (long) options.offloads()) < 0) {
                        int errno = Native.errno();
                        throw TunException.of("cannot set offloads 0x" + Integer.toHexString(options.offloads())
                                + " on " + kind + " device " + name, errno,
                                errno == Errno.EINVAL.number() ? "offload not supported by this kernel" : null);
                    }
                }
                wakeFds[i] = libc.eventfd(0, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK);
                if (wakeFds[i] < 0) {
                    int errno = Native.errno();
                    throw TunException.of("cannot create eventfd for " + kind + " device " + name, errno, null);
                }
            }
            control = ControlSocket.open(name);
            List<LinuxTunDevice> devices = new ArrayList<>(n);
            boolean single = !options.multiQueue();
            for (int i = 0; i < n; i++) {
                devices.add(new LinuxTunDevice(fds[i], wakeFds[i], name, options, control, single));
            }
            success = true;
            return devices;
        } finally {
            if (!success) {
                for (int i = 0; i < n; i++) {
                    Native.closeQuietly(fds[i]);
                    Native.closeQuietly(wakeFds[i]);
                }
                if (control != null) {
                    control.close();
                }
            }
        }
    }
}
