package io.warren.gateway.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.gateway.config.ConfigLoader;
import io.warren.gateway.config.ConfigResult;
import io.warren.gateway.config.WarrenConfig;
import io.warren.gateway.tunnel.Tunnel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusTunnelsTest {
    @Test
    void aRunningTunnelIsUpWithItsCountsAndAFailedOneIsDown(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("warren.toml");
        Files.writeString(f, "[tunnel.gre1]\ntype = \"gre\"\nremote = \"192.0.2.2\"\n"
                + "[tunnel.gre2]\ntype = \"gre\"\nremote = \"192.0.2.3\"\n");
        ConfigResult r = ConfigLoader.load(f);
        assertTrue(r.isValid(), r.problems().toString());
        WarrenConfig config = r.config().orElseThrow();
        Tunnel gre1 = new Tunnel() {
            @Override
            public String name() {
                return "gre1";
            }

            @Override
            public Map<String, Long> counters() {
                return Map.of("tx_packets", 12L, "rx_packets", 7L);
            }

            @Override
            public void close() {
            }
        };
        StatusReport status = StatusCollector.collect(config, Map.of(), List.of(), Map.of("gre1", gre1), 1_700_000_000L);
        assertEquals("up, 12 packets sent, 7 received", status.tunnels().get(0).state());
        assertEquals("down", status.tunnels().get(1).state());
        assertTrue(StatusText.render(status).contains("gre1"), StatusText.render(status));
    }
}
