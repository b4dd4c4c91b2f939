package io.warren.gateway.tunnel;

import io.warren.gateway.config.TunnelConfig;
import io.warren.tun.link.RecordingLinkConfigurator;
import java.util.Map;

/**
 * A tunnel that only exists as a link in a {@link RecordingLinkConfigurator} (MTU from its config,
 * 1476 by default) until closed; for tunnel service and reload tests with fake factories.
 */
public final class FakeTunnel implements Tunnel {
    private final TunnelConfig config;
    private final RecordingLinkConfigurator link;
    private boolean closed;

    public FakeTunnel(TunnelConfig config, RecordingLinkConfigurator link) {
        this.config = config;
        this.link = link;
        link.addLink(config.name(), config.mtu().orElse(1476));
    }

    /** The settings it was opened with. */
    public TunnelConfig config() {
        return config;
    }

    public boolean closed() {
        return closed;
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public Map<String, Long> counters() {
        return Map.of();
    }

    @Override
    public void close() {
        closed = true;
        link.removeLink(config.name());
    }
}
