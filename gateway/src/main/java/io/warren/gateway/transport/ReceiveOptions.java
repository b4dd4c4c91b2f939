package io.warren.gateway.transport;

import io.warren.tun.udp.UdpReceiveBatch;

/**
 * How the WireGuard socket receives ({@link ReceiveLoop}): {@code recvmmsg(2)}, up to
 * {@link #BATCH} receives per call into a fixed ring of direct buffers.
 *
 * <p>With {@code UDP_GRO} ({@code -Dwarren.udp-gro=true}) a peer's UDP GSO run (up to 64 KB of
 * equal-size datagrams) that reaches the socket unsegmented is one receive, its segment size in a
 * control message, split again in place ({@link GroSplitter}); each slot must then hold 64 KB
 * (2 MB of direct memory for the ring). Since the receive path reads control messages with
 * {@code recvmmsg} itself, GRO no longer costs a syscall per datagram where runs are segmented on
 * the way (with Netty it needed {@code recvmsg}, one receive per call, and TCP through the tunnel
 * fell to about a third). It is still not the default, by measurement: on the bench topology
 * (veth underlay with TX offload off, so every run is segmented before it arrives; {@code bench/run
 * --short --runs 3 --only wireguard}, GRO and plain alternating, two sessions) GRO gave no gain and
 * TCP with 4 streams was lower in 5 of 6 pairs (median about 7% less; 1 stream and CPU per GB even
 * within noise): every datagram then lands in its own 64 KB slot, a page apart. Where a network
 * delivers whole runs it saves receives: with TX offload on on the same veth underlay, a peer's
 * {@code UDP_SEGMENT} send crosses intact and is one receive here (bench/results/60-wg-throughput.md:
 * CPU per GB both ends 3.0-3.3 against 4.0-4.2 plain, TCP 1 stream about 25% faster). Where the
 * kernel refuses {@code UDP_GRO}, the socket stays on plain slots.
 */
final class ReceiveOptions {
    /** Whether the socket asks for UDP GRO (see above); the kernel may still refuse it. */
    static final boolean GRO = Boolean.parseBoolean(System.getProperty("warren.udp-gro", "false"));
    /** A GRO slot: the largest run the kernel coalesces (64 KB). */
    static final int GRO_SLOT = 65_535;
    /** A plain slot: one datagram (MTU 1420 + 32, rounded up); larger for a larger tunnel MTU. */
    static final int PLAIN_SLOT = 2048;
    /** Receives per recvmmsg call ({@code -Dwarren.udp-rx-batch}, 1..1024). */
    static final int BATCH = Math.max(1, Math.min(1024, Integer.getInteger("warren.udp-rx-batch", 32)));
    /**
     * Whether a partly merged TCP run is carried from a full receive burst into the next one
     * ({@code -Dwarren.rx-carry}, default on; see {@link ReceiveLoop}). Measured (bench/run --short
     * --runs 3 --only wireguard, alternating with main): CPU per GB both ends 5.89-6.16 s against
     * main's 6.12-7.59, ping under load no higher. A 64-slot ring ({@code -Dwarren.udp-rx-batch=64})
     * gave 6.24-6.44 in the same runs: not worth its direct memory.
     */
    static final boolean CARRY = Boolean.parseBoolean(System.getProperty("warren.rx-carry", "true"));
    /** Free bytes before each received datagram. */
    static final int HEADROOM = WireGuardInterface.HEADROOM;

    private ReceiveOptions() {
    }

    /** The receive ring for a socket with ({@code gro}) or without UDP GRO, tunnel MTU {@code mtu}. */
    static UdpReceiveBatch batch(boolean gro, int mtu) {
        return new UdpReceiveBatch(BATCH, gro ? GRO_SLOT : Math.max(PLAIN_SLOT, (mtu + 64 + 1023) & ~1023), HEADROOM);
    }
}
