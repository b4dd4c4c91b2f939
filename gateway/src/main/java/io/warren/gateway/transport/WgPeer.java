package io.warren.gateway.transport;

import io.warren.crypto.primitives.NoisePublicKey;
import io.warren.crypto.session.Peer;
import io.warren.gateway.uapi.PeerState;
import io.warren.tun.udp.UdpEndpoint;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.LongAdder;

/**
 * The shell's view of one peer: the protocol core's {@link Peer}, the endpoint it currently
 * talks to, the settings it was created from, and its traffic counters.
 */
public final class WgPeer {
    final NoisePublicKey publicKey;
    final Peer core;
    /** The settings this peer was created with (endpoint, allowed IPs, keys, keepalive). */
    volatile PeerState settings;
    /**
     * Where datagrams go: the configured endpoint, then the source of the latest authenticated
     * packet (compared with each datagram's source without allocating; replaced only on roaming).
     */
    volatile UdpEndpoint endpoint;
    /** Wall-clock time of the latest completed handshake (epoch nanos), 0 before any. */
    volatile long lastHandshakeWallNanos;
    /** The core's time of the latest handshake counted (under the interface lock). */
    private long lastHandshakeMonotonic = -1;
    /** Handshake retries gave up and no handshake completed since (under the interface lock). */
    boolean handshakeGaveUp;

    final LongAdder handshakes = new LongAdder();
    final LongAdder rxBytes = new LongAdder();
    final LongAdder txBytes = new LongAdder();
    final LongAdder rxPackets = new LongAdder();
    final LongAdder txPackets = new LongAdder();

    WgPeer(NoisePublicKey publicKey, Peer core, PeerState settings) {
        this.publicKey = publicKey;
        this.core = core;
        this.settings = settings;
        this.endpoint = settings.endpoint().map(e -> UdpEndpoint.of(e.toSocketAddress())).orElse(null);
    }

    /**
     * Counts a handshake the core completed since the last look and records its wall-clock time
     * (after every datagram and timer action of this peer; under the interface lock).
     */
    void noteHandshake(long now) {
        long at = core.lastHandshake();
        if (at != -1 && at != lastHandshakeMonotonic) {
            lastHandshakeMonotonic = at;
            handshakeGaveUp = false;
            handshakes.increment();
            lastHandshakeWallNanos = WireGuardInterface.wallNanos() - (now - at);
        }
    }

    public NoisePublicKey publicKey() {
        return publicKey;
    }

    public InetSocketAddress endpoint() {
        UdpEndpoint e = endpoint;
        return e == null ? null : e.address();
    }

    public long rxBytes() {
        return rxBytes.sum();
    }

    public long txBytes() {
        return txBytes.sum();
    }

    /** Completed handshakes (new sessions) since the peer was added. */
    public long handshakes() {
        return handshakes.sum();
    }

    public long rxPackets() {
        return rxPackets.sum();
    }

    public long txPackets() {
        return txPackets.sum();
    }

    public long lastHandshakeWallNanos() {
        return lastHandshakeWallNanos;
    }

    @Override
    public String toString() {
        return "peer " + publicKey.toBase64();
    }
}
