package io.warren.gateway.tunnel;

import io.warren.gateway.config.TunnelConfig;

/** Opens tunnels of one family. */
public interface TunnelFactory {
    /** True when this factory opens {@code config}'s type and layer. */
    boolean supports(TunnelConfig config);

    /** Opens and starts the tunnel (device, link settings, sockets). */
    Tunnel open(TunnelConfig config, TunnelContext context) throws Exception;
}
