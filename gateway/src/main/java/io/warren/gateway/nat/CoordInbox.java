package io.warren.gateway.nat;

import io.warren.gateway.uapi.UapiKey;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bounded queue between the inner tap (the interface's receive thread) and the NAT timer
 * thread, fair between senders: one sender may have at most {@code perSender} messages waiting,
 * so a peer that floods coordination packets cannot fill the queue and push out the HELLOs and
 * introductions of everyone else. Thread-safe: one producer, one consumer.
 */
final class CoordInbox {
    /** A decoded message and its authenticated sender. */
    record Received(UapiKey from, CoordMessage message) {
    }

    private final ArrayBlockingQueue<Received> queue;
    private final int perSender;
    private final ConcurrentHashMap<UapiKey, Integer> waiting = new ConcurrentHashMap<>();

    CoordInbox(int capacity, int perSender) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.perSender = perSender;
    }

    /** Queues {@code m}; false when the queue is full or {@code from} already has its share waiting. */
    boolean offer(UapiKey from, CoordMessage m) {
        boolean[] room = {false};
        waiting.compute(from, (k, n) -> {
            int now = n == null ? 0 : n;
            if (now >= perSender) {
                return n;
            }
            room[0] = true;
            return now + 1;
        });
        if (!room[0]) {
            return false;
        }
        if (!queue.offer(new Received(from, m))) {
            release(from);
            return false;
        }
        return true;
    }

    /** The oldest message, or null. */
    Received poll() {
        Received r = queue.poll();
        if (r != null) {
            release(r.from());
        }
        return r;
    }

    private void release(UapiKey from) {
        waiting.computeIfPresent(from, (k, n) -> n <= 1 ? null : n - 1);
    }

    /** Senders with messages waiting (for tests). */
    int senders() {
        return waiting.size();
    }
}
