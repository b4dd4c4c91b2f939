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

    /**
     * Sends {@code run[position, limit)} as datagrams of {@code segmentSize} bytes each (the last
     * may be shorter), all to {@code to} from the source port of {@code flowHash}: one UDP GSO
     * {@code sendmsg} where the socket can, else one {@link #send} per datagram (this default).
     * The position is not moved. Returns how many datagrams the kernel took.
     */
    default int sendSegmented(ByteBuffer run, int segmentSize, InetSocketAddress to, int flowHash) {
        ByteBuffer one = run.duplicate();
        int end = run.limit();
        int sent = 0;
        for (int at = run.position(); at < end; at += segmentSize) {
            one.limit(Math.min(end, at + segmentSize)).position(at);
            if (send(one, to, flowHash)) {
                sent++;
            }
        }
        return sent;
    }
}
