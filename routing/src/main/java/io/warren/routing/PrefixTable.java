package io.warren.routing;

import io.warren.routing.IpPrefix.Family;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Longest-prefix match (RFC 1812 §5.2.4.3) over IPv4 and IPv6 prefixes with a value per prefix; the
 * one lookup structure under both cryptokey routing ({@link AllowedIps}) and static routes
 * ({@link RouteTable}).
 *
 * <p><b>Structure.</b> Per family, an immutable multibit trie with 6-bit strides and popcount-
 * compressed nodes ({@link StrideNode}, the control plane: exact get, iteration, updates by path
 * copying), compiled into a Poptrie-like lookup form ({@link Fib}, {@link FibBlock}): 18 bits (IPv4)
 * or 12 bits (IPv6) by direct pointing, then flat arrays with one dependent memory access per 6-bit
 * level, leaves pushed down so that only the last level reads a leaf, and prefix-less single-child
 * chains skipped in one step (an IPv4 /24 costs the top entry, one node and one leaf; a sparse IPv6
 * /48 or /128 two or three nodes). Memory stays proportional to the prefixes plus the fixed top
 * arrays (see {@link #stats()}): a DIR-24-8 table would cost a fixed 64 MiB for IPv4 alone and an
 * uncompressed 8-bit-stride trie about 2 KiB per sparse node. Lookups allocate nothing. Updates
 * recompile only the changed page and block; group many changes with
 * {@link #update}, which compiles once.
 *
 * <p><b>Concurrency.</b> Lock-free readers, serialized writers. The current state is an immutable
 * snapshot published through one volatile field; a lookup reads it once. Writers hold the table's
 * monitor, copy the path from the changed node to the root (path copying) and publish a new snapshot,
 * so a reader sees either the old or the new table, never a mix. {@link #update} groups several
 * changes into one publication (a peer's whole AllowedIPs list changes atomically).
 *
 * @param <V> value type; values are compared by identity when adjacent slots are merged, and null
 *            is not a value (lookups return null for no match)
 */
public final class PrefixTable<V> {

    /** Changes applied to a working copy by {@link #update}; published together at the end. */
    public interface Editor<V> {
        /** Inserts or replaces; returns the previous value for exactly this prefix, or null. */
        V put(IpPrefix prefix, V value);

        /** Removes exactly this prefix; returns its value, or null if absent. */
        V remove(IpPrefix prefix);

        /** Value of exactly this prefix in the working copy, or null. */
        V get(IpPrefix prefix);
    }

    /**
     * Size and computed heap footprint of a snapshot: trie nodes and bytes of the control-plane tries
     * per family, and bytes of the compiled lookup forms per family ({@code fibBytesV4}, {@code fibBytesV6}).
     */
    public record Stats(int prefixes, int nodesV4, int nodesV6, long bytesV4, long bytesV6, long fibBytesV4,
            long fibBytesV6) {
        /** Bytes of both compiled lookup forms. */
        public long fibBytes() {
            return fibBytesV4 + fibBytesV6;
        }

        public long bytes() {
            return bytesV4 + bytesV6 + fibBytes();
        }
    }

    /** Control-plane tries (v4, v6) and their compiled lookup forms, published together. */
    private record Snapshot(StrideNode v4, StrideNode v6, Fib fib4, Fib fib6, int size) {
    }

    private static final Snapshot EMPTY = new Snapshot(StrideNode.EMPTY, StrideNode.EMPTY,
            Fib.emptyV4(), Fib.emptyV6(), 0);

    private volatile Snapshot snapshot = EMPTY;

    // ---------------------------------------------------------------- data path (lock-free)

    /** Value of the longest prefix containing the IPv4 address {@code a}, or null. */
    @SuppressWarnings("unchecked")
    public V lookupV4(int a) {
        return (V) snapshot.fib4.lookupV4(a);
    }

    /** Value of the longest prefix containing the IPv6 address (hi, lo), or null. */
    @SuppressWarnings("unchecked")
    public V lookupV6(long hi, long lo) {
        return (V) snapshot.fib6.lookupV6(hi, lo);
    }

    /**
     * Lookup of the IPv4 address at {@code offset} of {@code buf} (network order whatever the
     * buffer's byte order; position and limit untouched). Returns null, never throws, when the
     * address does not fit in the buffer's limit: header validation is the caller's parser's job.
     */
    public V lookupV4(ByteBuffer buf, int offset) {
        if (offset < 0 || offset > buf.limit() - 4) {
            return null;
        }
        return lookupV4(readInt(buf, offset));
    }

    /** Lookup of the IPv6 address at {@code offset} of {@code buf}; see {@link #lookupV4(ByteBuffer, int)}. */
    public V lookupV6(ByteBuffer buf, int offset) {
        if (offset < 0 || offset > buf.limit() - 16) {
            return null;
        }
        return lookupV6(readLong(buf, offset), readLong(buf, offset + 8));
    }

    static int readInt(ByteBuffer buf, int offset) {
        int v = buf.getInt(offset);
        return buf.order() == ByteOrder.BIG_ENDIAN ? v : Integer.reverseBytes(v);
    }

    static long readLong(ByteBuffer buf, int offset) {
        long v = buf.getLong(offset);
        return buf.order() == ByteOrder.BIG_ENDIAN ? v : Long.reverseBytes(v);
    }

    /** Value of the longest prefix containing the address of {@code host} (its length is ignored). */
    public V lookup(IpPrefix host) {
        return host.family() == Family.IPV4 ? lookupV4(host.v4Address()) : lookupV6(host.hi(), host.lo());
    }

    /** Value stored for exactly {@code prefix}, or null. */
    @SuppressWarnings("unchecked")
    public V get(IpPrefix prefix) {
        Snapshot s = snapshot;
        return (V) StrideTrie.find(root(s, prefix.family()), prefix);
    }

    public int size() {
        return snapshot.size();
    }

    // ---------------------------------------------------------------- writers (serialized)

    /** Inserts or replaces the value of {@code prefix}; returns the previous value or null. */
    public V put(IpPrefix prefix, V value) {
        List<V> prev = new ArrayList<>(1);
        update(e -> prev.add(e.put(prefix, value)));
        return prev.get(0);
    }

    /** Removes {@code prefix} (not the prefixes it covers); returns its value or null. */
    public V remove(IpPrefix prefix) {
        List<V> prev = new ArrayList<>(1);
        update(e -> prev.add(e.remove(prefix)));
        return prev.get(0);
    }

    public synchronized void clear() {
        snapshot = EMPTY;
    }

    /** Applies {@code changes} to a private copy and publishes the result once, atomically for readers. */
    public synchronized void update(Consumer<Editor<V>> changes) {
        Snapshot old = snapshot;
        Work<V> w = new Work<>(old);
        changes.accept(w);
        Fib fib4 = w.v4 == old.v4() ? old.fib4() : Fib.compile(w.v4, old.fib4());
        Fib fib6 = w.v6 == old.v6() ? old.fib6() : Fib.compile(w.v6, old.fib6());
        snapshot = new Snapshot(w.v4, w.v6, fib4, fib6, w.size);
    }

    private static final class Work<V> implements Editor<V> {
        StrideNode v4;
        StrideNode v6;
        int size;

        Work(Snapshot s) {
            v4 = s.v4();
            v6 = s.v6();
            size = s.size();
        }

        @Override
        public V put(IpPrefix prefix, V value) {
            if (value == null) {
                throw new IllegalArgumentException("null is not a value; use remove");
            }
            return change(prefix, value);
        }

        @Override
        public V remove(IpPrefix prefix) {
            return change(prefix, null);
        }

        @Override
        @SuppressWarnings("unchecked")
        public V get(IpPrefix prefix) {
            return (V) StrideTrie.find(prefix.family() == Family.IPV4 ? v4 : v6, prefix);
        }

        @SuppressWarnings("unchecked")
        private V change(IpPrefix p, Object value) {
            Object[] prev = new Object[1];
            if (p.family() == Family.IPV4) {
                v4 = StrideTrie.set(v4, p.hi(), p.lo(), p.length(), 0, value, prev);
            } else {
                v6 = StrideTrie.set(v6, p.hi(), p.lo(), p.length(), 0, value, prev);
            }
            if (prev[0] == null && value != null) {
                size++;
            } else if (prev[0] != null && value == null) {
                size--;
            }
            return (V) prev[0];
        }
    }

    private static StrideNode root(Snapshot s, Family f) {
        return f == Family.IPV4 ? s.v4() : s.v6();
    }

    // ---------------------------------------------------------------- iteration and statistics

    /** Visits every (prefix, value) of one consistent snapshot, IPv4 first, in trie order. */
    @SuppressWarnings("unchecked")
    public void forEach(BiConsumer<? super IpPrefix, ? super V> action) {
        Snapshot s = snapshot;
        StrideTrie.walk(s.v4(), Family.IPV4, 0, 0, 0, (BiConsumer<IpPrefix, Object>) action);
        StrideTrie.walk(s.v6(), Family.IPV6, 0, 0, 0, (BiConsumer<IpPrefix, Object>) action);
    }

    /** All prefixes of one snapshot. */
    public List<IpPrefix> prefixes() {
        List<IpPrefix> out = new ArrayList<>(size());
        forEach((p, v) -> out.add(p));
        return out;
    }

    /** Node count and computed heap bytes of the current snapshot (values themselves not counted). */
    public Stats stats() {
        Snapshot s = snapshot;
        long[] a = new long[2];
        long[] b = new long[2];
        StrideTrie.measure(s.v4(), a);
        StrideTrie.measure(s.v6(), b);
        return new Stats(s.size(), (int) a[0], (int) b[0], a[1], b[1], s.fib4().bytes(), s.fib6().bytes());
    }
}
