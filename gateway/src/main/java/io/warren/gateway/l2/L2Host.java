package io.warren.gateway.l2;

import io.warren.gateway.tunnel.TunnelContext;
import io.warren.tun.TunDevice;
import io.warren.tun.link.LinkConfigurator;
import java.io.IOException;
import java.net.InetAddress;

/**
 * What {@link L2TunnelFactory} needs from the machine: TAP devices, link configuration, bridge
 * ports, the underlay MTU, the shared sockets and the GRE underlays. {@link SystemL2Host} is the real one (called on a
 * thread in the tunnel's network namespace); tests pass in-memory devices and recording fakes, so the
 * factory's reading of the config is checked without a kernel.
 */
interface L2Host {

    /** Opens (creates) the TAP device {@code name}. */
    TunDevice openTap(String name) throws IOException;

    /** A link configurator; the tunnel closes it when it closes. */
    LinkConfigurator openLink();

    /** Makes interface {@code ifindex} a port of Linux bridge {@code bridge}. */
    void addBridgePort(String bridge, int ifindex);

    /** Whether interface {@code name} exists (a bridge to join); checked on reload before a tunnel is closed. */
    default boolean hasInterface(String name) {
        return true;
    }

    /** The MTU of the underlay interface towards {@code remote}. */
    int underlayMtu(InetAddress remote);

    /**
     * A reference to the shared socket for {@code kind} on {@code local}:{@code port}, or, when
     * {@code kind} is null, to the raw IP socket (L2TPv3 over IP) of {@code remote}'s family.
     */
    L2Endpoint endpoint(SharedUdpPort.Kind kind, InetAddress local, int port, InetAddress remote,
                        TunnelContext context) throws IOException;

    /**
     * The underlay of L2 GRE tunnel {@code name}, its own (GRE has one remote): IP protocol 47 to
     * {@code remote}, or GRE-in-UDP to {@code remote}:{@code port} when {@code overUdp}; outer
     * packets it cannot use are counted in {@code counters}.
     */
    L2Endpoint greEndpoint(String name, boolean overUdp, InetAddress local, InetAddress remote, int port,
                           L2Counters counters, TunnelContext context) throws IOException;
}
