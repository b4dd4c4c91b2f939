package io.warren.gateway.l2;

import java.util.Arrays;

/**
 * The receivers of a shared socket by key (VNI or L2TPv3 Session ID): looked up per datagram on the
 * socket's threads without locking or boxing the key (a {@code Map<Long, ...>} would box every key
 * above 127), changed rarely on the control thread. Copy on write: each change publishes new sorted
 * arrays; a lookup is a binary search of the current ones.
 */
final class ReceiverTable {
    /** Immutable once published. */
    private record Snapshot(long[] keys, SharedUdpPort.Receiver[] receivers) {
    }

    private volatile Snapshot current = new Snapshot(new long[0], new SharedUdpPort.Receiver[0]);

    /** The receiver of {@code key}, or null. */
    SharedUdpPort.Receiver get(long key) {
        Snapshot s = current;
        int i = Arrays.binarySearch(s.keys, key);
        return i >= 0 ? s.receivers[i] : null;
    }

    /** Adds {@code r} for {@code key}; false (and no change) if the key is taken. */
    synchronized boolean putIfAbsent(long key, SharedUdpPort.Receiver r) {
        Snapshot s = current;
        int i = Arrays.binarySearch(s.keys, key);
        if (i >= 0) {
            return false;
        }
        int at = -i - 1;
        int n = s.keys.length;
        long[] keys = new long[n + 1];
        SharedUdpPort.Receiver[] receivers = new SharedUdpPort.Receiver[n + 1];
        System.arraycopy(s.keys, 0, keys, 0, at);
        System.arraycopy(s.receivers, 0, receivers, 0, at);
        keys[at] = key;
        receivers[at] = r;
        System.arraycopy(s.keys, at, keys, at + 1, n - at);
        System.arraycopy(s.receivers, at, receivers, at + 1, n - at);
        current = new Snapshot(keys, receivers);
        return true;
    }

    /** Removes the receiver of {@code key}, if any. */
    synchronized void remove(long key) {
        Snapshot s = current;
        int i = Arrays.binarySearch(s.keys, key);
        if (i < 0) {
            return;
        }
        int n = s.keys.length;
        long[] keys = new long[n - 1];
        SharedUdpPort.Receiver[] receivers = new SharedUdpPort.Receiver[n - 1];
        System.arraycopy(s.keys, 0, keys, 0, i);
        System.arraycopy(s.receivers, 0, receivers, 0, i);
        System.arraycopy(s.keys, i + 1, keys, i, n - i - 1);
        System.arraycopy(s.receivers, i + 1, receivers, i, n - i - 1);
        current = new Snapshot(keys, receivers);
    }
}
