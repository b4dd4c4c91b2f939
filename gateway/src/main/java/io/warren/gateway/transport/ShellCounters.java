package io.warren.gateway.transport;

import io.warren.crypto.session.DropReason;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Drop counters of one interface: the protocol core's {@link DropReason}s and the shell's own
 * {@link Reason}s. Lock-free increments; read for status and metrics.
 */
public final class ShellCounters {
    /** Why the shell itself dropped a packet. */
    public enum Reason {
        /** Read from the TUN but neither IPv4 nor IPv6 (or shorter than its header). */
        OUTBOUND_NOT_IP,
        /** No peer's allowed IPs cover the destination. */
        OUTBOUND_NO_PEER,
        /** The peer has no endpoint yet (it has never been configured with one nor contacted us). */
        NO_ENDPOINT,
        /** Decrypted, but its source address is outside the sending peer's allowed IPs. */
        INBOUND_SOURCE_NOT_ALLOWED,
        /** A datagram arrived while the interface has no private key. */
        NO_PRIVATE_KEY,
        /** The kernel refused the packet on the TUN device. */
        TUN_WRITE_FAILED,
        /** The UDP socket stayed full (or refused the destination): the datagram was dropped. */
        UDP_SEND_FAILED,
        /** A TUN read with offloads whose virtio-net header or super-packet could not be used. */
        OUTBOUND_OFFLOAD_MALFORMED,
        /** A UDP GRO receive whose segment size made it unsplittable (the whole run was dropped). */
        INBOUND_GRO_MALFORMED,
        /** A received datagram longer than its receive slot (MSG_TRUNC): the rest was lost. */
        INBOUND_TRUNCATED,
        /** A receive whose control data did not fit (MSG_CTRUNC): its GRO segment size is unknown. */
        INBOUND_CONTROL_TRUNCATED,
        /** A receive whose source is not an IPv4 or IPv6 address. */
        INBOUND_BAD_SOURCE,
        /** Handling a received datagram failed unexpectedly (logged); the receive loop goes on. */
        INBOUND_FAILED,
        /** The cipher failed to seal a reserved packet (a native error, never bad input). */
        OUTBOUND_SEAL_FAILED
    }

    private final Map<Reason, LongAdder> shell = new EnumMap<>(Reason.class);
    private final Map<DropReason, LongAdder> core = new EnumMap<>(DropReason.class);

    ShellCounters() {
        for (Reason r : Reason.values()) {
            shell.put(r, new LongAdder());
        }
        for (DropReason r : DropReason.values()) {
            core.put(r, new LongAdder());
        }
    }

    void count(Reason reason) {
        shell.get(reason).increment();
    }

    void count(DropReason reason) {
        core.get(reason).increment();
    }

    /** {@code n} packets dropped at once for {@code reason} (e.g. a staged queue given up on). */
    void add(DropReason reason, long n) {
        core.get(reason).add(n);
    }

    public long get(Reason reason) {
        return shell.get(reason).sum();
    }

    public long get(DropReason reason) {
        return core.get(reason).sum();
    }

    /** Every non-zero counter by lower-case name, for status and tests. */
    public Map<String, Long> nonZero() {
        Map<String, Long> out = new java.util.TreeMap<>();
        shell.forEach((r, a) -> {
            if (a.sum() != 0) {
                out.put(r.name().toLowerCase(java.util.Locale.ROOT), a.sum());
            }
        });
        core.forEach((r, a) -> {
            if (a.sum() != 0) {
                out.put(r.name().toLowerCase(java.util.Locale.ROOT), a.sum());
            }
        });
        return out;
    }
}
