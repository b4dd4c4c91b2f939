package io.warren.crypto.session;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * What the shell must do after a {@link Peer} call (boringtun's {@code TunnResult}). Sealed so
 * the shell's {@code switch} is exhaustive. Datagram buffers are handed to the caller: they are
 * either the caller's own input buffer (sealed or opened in place) or fresh buffers.
 */
public final class Outcome {
    private Outcome() {}

    /** Result of {@link Peer#encapsulate}. */
    public sealed interface Encapsulated permits WriteToNetwork, Queued, Drop, Reserved {}

    /** Result of {@link Peer#decapsulate}. */
    public sealed interface Decapsulated permits WriteToTunnel, WriteToNetwork, Done, Drop {}

    /**
     * Send these datagrams to the peer's endpoint, in order. {@code dropped} is null, or, from
     * {@link Peer#decapsulate}, the reason the received datagram itself was dropped while it still
     * caused these sends (a malformed inner packet that confirmed a keypair or triggered a rekey):
     * the shell counts it as it counts an {@link Drop}.
     */
    public record WriteToNetwork(List<ByteBuffer> datagrams, DropReason dropped) implements Encapsulated, Decapsulated {
        /** Datagrams to send, nothing dropped. */
        public WriteToNetwork(List<ByteBuffer> datagrams) {
            this(datagrams, null);
        }
    }

    /**
     * The packet was copied into the staged queue while a handshake runs; send
     * {@code datagrams} (the initiation, unless rate-limited: then empty). {@code dropped} is
     * null, or {@link DropReason#STAGED_QUEUE_FULL} when the full queue let its oldest packet go:
     * the shell counts it as it counts a {@link Drop}.
     */
    public record Queued(List<ByteBuffer> datagrams, DropReason dropped) implements Encapsulated {
        /** Staged, nothing dropped. */
        public Queued(List<ByteBuffer> datagrams) {
            this(datagrams, null);
        }
    }

    /**
     * Write {@code packet} (the input buffer, opened in place, padding stripped) to the TUN device
     * after checking its source against the peer's allowed IPs; then send {@code datagrams}
     * (staged packets or an initiation, usually empty).
     */
    public static final class WriteToTunnel implements Decapsulated {
        private ByteBuffer packet;
        private List<ByteBuffer> datagrams;

        /** One per peer, refilled by every delivery (see {@link Peer#decapsulate}). */
        WriteToTunnel() {
        }

        WriteToTunnel set(ByteBuffer packet, List<ByteBuffer> datagrams) {
            this.packet = packet;
            this.datagrams = datagrams;
            return this;
        }

        public ByteBuffer packet() {
            return packet;
        }

        public List<ByteBuffer> datagrams() {
            return datagrams;
        }

        /** The inner packet's source address (parsed on demand: the data path reads the bytes). */
        public InetAddress source() {
            return InnerPacket.source(packet);
        }

        @Override
        public String toString() {
            return "WriteToTunnel[packet=" + packet + ", datagrams=" + datagrams.size() + "]";
        }
    }

    /**
     * Result of {@link Peer#reserve}: the packet waits, padded, in the caller's
     * {@link SealBatch} for its seal; send {@code datagrams} as well (an initiation, §6.2;
     * usually empty). One instance per peer, refilled by every reservation.
     */
    public static final class Reserved implements Encapsulated {
        private List<ByteBuffer> datagrams = List.of();

        Reserved() {
        }

        Reserved set(List<ByteBuffer> datagrams) {
            this.datagrams = datagrams;
            return this;
        }

        public List<ByteBuffer> datagrams() {
            return datagrams;
        }

        @Override
        public String toString() {
            return "Reserved[datagrams=" + datagrams.size() + "]";
        }
    }

    /** Consumed with nothing to do (a keepalive, a cookie reply). */
    public record Done() implements Decapsulated {}

    /** Dropped; count {@code reason}. */
    public record Drop(DropReason reason) implements Encapsulated, Decapsulated {
        private static final java.util.List<Drop> BY_REASON = DropReason.each(Drop::new);

        /** The shared instance for {@code reason} (drops allocate nothing). */
        public static Drop of(DropReason reason) {
            return BY_REASON.get(reason.ordinal());
        }
    }

    /** What {@link Peer#updateTimers} asks for. */
    public sealed interface TimerAction permits Send, GaveUp, KeysZeroed {}

    /** Kinds of datagrams a timer sends. */
    public enum SendKind { INITIATION, KEEPALIVE, DATA }

    /** Send {@code datagram}. */
    public record Send(ByteBuffer datagram, SendKind kind) implements TimerAction {}

    /** Handshake attempts ran past REKEY_ATTEMPT_TIME; {@code stagedDropped} packets were dropped. */
    public record GaveUp(int stagedDropped) implements TimerAction {}

    /** All keypairs and handshake state were zeroed (REJECT_AFTER_TIME * 3 without a new session). */
    public record KeysZeroed() implements TimerAction {}

    static final Done DONE = new Done();
}
