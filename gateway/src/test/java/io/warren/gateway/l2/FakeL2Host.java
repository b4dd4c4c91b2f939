package io.warren.gateway.l2;

import io.warren.gateway.tunnel.TunnelContext;
import io.warren.tun.TunDevice;
import io.warren.tun.TunMode;
import io.warren.tun.link.LinkConfigurator;
import io.warren.tun.link.RecordingLinkConfigurator;
import io.warren.tun.testing.MemoryTunDevice;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An {@link L2Host} without a kernel: in-memory TAP devices, a {@link RecordingLinkConfigurator} that
 * sees each TAP appear, bridge ports as strings, a fixed underlay MTU per remote, and one endpoint
 * whose sink records what is sent and whose registered receivers a test calls directly (inbound is
 * synchronous, so nothing waits).
 */
final class FakeL2Host implements L2Host {
    final RecordingLinkConfigurator link = new RecordingLinkConfigurator();
    final Map<String, MemoryTunDevice> taps = new HashMap<>();
    final List<String> bridgePorts = new ArrayList<>();
    final Map<InetAddress, Integer> underlayMtus = new HashMap<>();
    final List<String> absentInterfaces = new ArrayList<>();
    final RecordingSink sink = new RecordingSink(null);
    final Map<Long, SharedUdpPort.Receiver> receivers = new HashMap<>();
    final List<String> endpoints = new ArrayList<>();
    int references;

    @Override
    public TunDevice openTap(String name) {
        MemoryTunDevice tap = new MemoryTunDevice(name, TunMode.TAP, false, 1500, 100, false);
        taps.put(name, tap);
        link.addLink(name, 1500);
        return tap;
    }

    @Override
    public LinkConfigurator openLink() {
        return link;
    }

    @Override
    public void addBridgePort(String bridge, int ifindex) {
        bridgePorts.add(bridge + " " + ifindex);
    }

    @Override
    public boolean hasInterface(String name) {
        return !absentInterfaces.contains(name);
    }

    @Override
    public int underlayMtu(InetAddress remote) {
        return underlayMtus.getOrDefault(remote, 1500);
    }

    @Override
    public L2Endpoint endpoint(SharedUdpPort.Kind kind, InetAddress local, int port, InetAddress remote,
                               TunnelContext context) {
        endpoints.add((kind == null ? "raw " + remote.getHostAddress() : kind + " " + port)
                + (local == null ? "" : " on " + local.getHostAddress()));
        return recording();
    }

    @Override
    public L2Endpoint greEndpoint(String name, boolean overUdp, InetAddress local, InetAddress remote, int port,
                                  L2Counters counters, TunnelContext context) {
        endpoints.add((overUdp ? "GRE-in-UDP " + remote.getHostAddress() + " " + port : "GRE " + remote.getHostAddress())
                + (local == null ? "" : " on " + local.getHostAddress()));
        return recording();
    }

    private L2Endpoint recording() {
        references++;
        return new L2Endpoint() {
            @Override
            public DatagramSink sink() {
                return sink;
            }

            @Override
            public boolean register(long key, SharedUdpPort.Receiver r) {
                return receivers.putIfAbsent(key, r) == null;
            }

            @Override
            public void unregister(long key) {
                receivers.remove(key);
            }

            @Override
            public void release() {
                references--;
            }
        };
    }
}
