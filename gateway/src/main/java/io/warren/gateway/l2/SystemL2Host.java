package io.warren.gateway.l2;

import io.warren.gateway.tunnel.TunnelContext;
import io.warren.gateway.tunnel.gre.GreUnderlay;
import io.warren.gateway.tunnel.gre.RawGreUnderlay;
import io.warren.gateway.tunnel.gre.UdpGreUnderlay;
import io.warren.tun.Errno;
import io.warren.tun.LinuxTun;
import io.warren.tun.TunDevice;
import io.warren.tun.link.LinkConfigException;
import io.warren.tun.link.LinkConfigurator;
import io.warren.tun.link.NetlinkLinkConfigurator;
import io.warren.tun.raw.RawFamily;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * The real {@link L2Host}: TAP devices through {@link LinuxTun} (with offloads when the kernel takes
 * them, {@link TapDevices}), rtnetlink, the bridge ioctl, and the shared sockets, reference-counted
 * so every tunnel of one kind and port shares one UDP socket and every L2TPv3-over-IP tunnel of one
 * address family shares one raw socket; an L2 GRE tunnel gets the L3 GRE tunnels' underlay of its own
 * ({@link GreEndpoint}). Thread-safe.
 */
final class SystemL2Host implements L2Host {
    private final Map<SharedUdpPort.Key, SharedUdpPort> ports = new HashMap<>();
    private final Map<RawFamily, SharedRawPort> rawPorts = new HashMap<>();

    @Override
    public TunDevice openTap(String name) throws IOException {
        return TapDevices.open(name);
    }

    @Override
    public LinkConfigurator openLink() {
        return NetlinkLinkConfigurator.open();
    }

    @Override
    public void addBridgePort(String bridge, int ifindex) {
        BridgePorts.add(bridge, ifindex);
    }

    @Override
    public boolean hasInterface(String name) {
        // rtnetlink, not NetworkInterface: that lists only interfaces with an address, and reads
        // /proc/net of the process rather than the calling thread's namespace.
        try (LinkConfigurator link = openLink()) {
            link.linkIndex(name);
            return true;
        } catch (LinkConfigException e) {
            return e.errno() != Errno.ENODEV.number(); // any other failure: cannot tell, let open say
        }
    }

    @Override
    public int underlayMtu(InetAddress remote) {
        return UnderlayMtu.towards(remote);
    }

    @Override
    public L2Endpoint endpoint(SharedUdpPort.Kind kind, InetAddress local, int port, InetAddress remote,
                               TunnelContext context) throws IOException {
        return kind == null ? rawEndpoint(remote, local) : udpEndpoint(kind, local, port, context);
    }

    @Override
    public L2Endpoint greEndpoint(String name, boolean overUdp, InetAddress local, InetAddress remote, int port,
                                  L2Counters counters, TunnelContext context) throws IOException {
        GreUnderlay underlay = overUdp ? new UdpGreUnderlay(local, remote, port)
                : RawGreUnderlay.open(name, local, remote);
        return new GreEndpoint(underlay, new InetSocketAddress(remote, port), counters);
    }

    private L2Endpoint udpEndpoint(SharedUdpPort.Kind kind, InetAddress local, int port, TunnelContext context)
            throws IOException {
        SharedUdpPort.Key k = new SharedUdpPort.Key(kind, local, port);
        SharedUdpPort p;
        synchronized (this) {
            p = ports.get(k);
            if (p == null) {
                p = SharedUdpPort.open(kind, local == null ? new InetSocketAddress(port) : new InetSocketAddress(local, port));
                ports.put(k, p);
            }
            p.retain();
        }
        SharedUdpPort shared = p;
        return endpoint(shared, () -> ports.remove(k, shared));
    }

    private L2Endpoint rawEndpoint(InetAddress remote, InetAddress local) throws IOException {
        RawFamily family = RawFamily.of(remote);
        SharedRawPort p;
        synchronized (this) {
            p = rawPorts.get(family);
            if (p == null) {
                p = SharedRawPort.open(family, local);
                rawPorts.put(family, p);
            }
            p.retain();
        }
        SharedRawPort shared = p;
        return endpoint(shared, () -> rawPorts.remove(family, shared));
    }

    /**
     * A tunnel's handle on a shared port: the last release (under this host's lock) forgets the
     * port with {@code forget} and closes it.
     */
    private L2Endpoint endpoint(SharedPort shared, Runnable forget) {
        return new L2Endpoint() {
            @Override
            public DatagramSink sink() {
                return shared.sender();
            }

            @Override
            public boolean register(long key, SharedUdpPort.Receiver r) {
                return shared.register(key, r);
            }

            @Override
            public void unregister(long key) {
                shared.unregister(key);
            }

            @Override
            public void release() {
                synchronized (SystemL2Host.this) {
                    if (shared.release()) {
                        forget.run();
                        shared.close();
                    }
                }
            }
        };
    }
}
