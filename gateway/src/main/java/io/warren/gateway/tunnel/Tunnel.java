package io.warren.gateway.tunnel;

import java.util.Map;

/** A running tunnel. */
public interface Tunnel extends AutoCloseable {
    /** The {@code [tunnel.NAME]} it was opened for. */
    String name();

    /** Packet and byte counters and drops by reason, for status and metrics (names in lower case). */
    Map<String, Long> counters();

    /** Stops the tunnel and releases its device and sockets; never throws. */
    @Override
    void close();
}
