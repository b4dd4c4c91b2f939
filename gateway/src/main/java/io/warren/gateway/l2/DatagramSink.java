package io.warren.gateway.l2;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Where an {@link L2Tunnel} sends encapsulated frames: a shared UDP port or raw IP socket in
 * production ({@link SharedUdpPort}, {@link SharedRawPort}), a recording fake in tests. Called by one
 * thread (the tunnel's TAP reader); sends synchronously, so the buffer can be reused on return.
 */
public interface DatagramSink {

    /**
     * Sends {@code datagram[position, limit)} (overlay header and frame) to {@code to}; the position
     * is not moved, so a flood sends the same bytes to each remote. {@code flowHash} picks the UDP
     * source port (RFC 7348 §5). A datagram the kernel refuses is dropped: returns false.
     */
    boolean send(ByteBuffer datagram, InetSocketAddress to, int flowHash);
}
