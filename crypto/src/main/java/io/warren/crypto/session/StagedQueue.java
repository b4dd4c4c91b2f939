package io.warren.crypto.session;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Outbound inner packets held while a handshake runs (WireGuard whitepaper §6.2 "packets are
 * queued until a session exists"; wireguard-go's {@code queue.staged}). Bounded at
 * {@link Constants#MAX_STAGED_PACKETS}; when full the oldest packet is dropped. Each packet is
 * copied into a peer-owned buffer with room for the data header, padding and tag so it can later
 * be sealed in place. Owned by one peer.
 */
final class StagedQueue {
    private final ArrayDeque<ByteBuffer> packets = new ArrayDeque<>();
    private final int capacity;
    private final int mtu;

    StagedQueue(int capacity, int mtu) {
        this.capacity = capacity;
        this.mtu = mtu;
    }

    /** Copies {@code packet[position, limit)}; returns true when the oldest packet had to be dropped. */
    boolean stage(ByteBuffer packet) {
        boolean dropped = false;
        if (packets.size() >= capacity) {
            packets.pollFirst();
            dropped = true;
        }
        int length = packet.remaining();
        ByteBuffer copy = ByteBuffer.allocate(Constants.MESSAGE_DATA_HEADER_LENGTH + length
                + TransportData.tailroom(length, mtu));
        copy.position(Constants.MESSAGE_DATA_HEADER_LENGTH);
        copy.put(packet.duplicate());
        copy.limit(copy.position()).position(Constants.MESSAGE_DATA_HEADER_LENGTH);
        packets.addLast(copy);
        return dropped;
    }

    /** Stages an empty packet (a keepalive, §6.5). */
    void stageKeepalive() {
        packets.addLast(ByteBuffer.allocate(Constants.MESSAGE_DATA_MIN_LENGTH)
                .position(Constants.MESSAGE_DATA_HEADER_LENGTH).limit(Constants.MESSAGE_DATA_HEADER_LENGTH));
    }

    ByteBuffer poll() {
        return packets.pollFirst();
    }

    boolean isEmpty() {
        return packets.isEmpty();
    }

    int size() {
        return packets.size();
    }

    /** Drops everything; returns how many packets were dropped. */
    int clear() {
        int n = packets.size();
        packets.clear();
        return n;
    }
}
