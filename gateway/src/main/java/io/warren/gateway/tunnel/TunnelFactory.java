package io.warren.gateway.tunnel;

import io.warren.gateway.config.TunnelConfig;
import java.util.List;

/** Opens tunnels of one family. */
public interface TunnelFactory {
    /** True when this factory opens {@code config}'s type and layer. */
    boolean supports(TunnelConfig config);

    /** Opens and starts the tunnel (device, link settings, sockets). */
    Tunnel open(TunnelConfig config, TunnelContext context) throws Exception;

    /**
     * What would make {@link #open} refuse {@code config} on this machine and can be seen without
     * opening anything (a remote that does not resolve, an {@code mtu} the underlay toward a remote
     * cannot carry, a missing bridge): asked on reload before the running tunnel is closed, so a bad
     * reload keeps it. Empty when nothing is known to be wrong; {@link #open} may still fail. Call on
     * a thread in the tunnel's network namespace.
     */
    default List<Refusal> check(TunnelConfig config) {
        return List.of();
    }

    /**
     * Why a tunnel cannot open.
     *
     * @param key    the {@code [tunnel.NAME]} key at fault ({@code "mtu"}, {@code "remote"}, ...)
     * @param reason what is wrong, for the reload reply and the log
     */
    record Refusal(String key, String reason) {
    }
}
