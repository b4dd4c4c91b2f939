package io.warren.routing;

import java.util.Arrays;

/**
 * One immutable node of the multibit trie behind {@link PrefixTable}: a 6-bit stride (64 slots)
 * compressed with population-count bitmaps, in the manner of Poptrie (Asai and Ohara, SIGCOMM 2015)
 * and Tree Bitmap (Eatherton, Varghese and Dittia, SIGCOMM CCR 2004).
 *
 * <p>A node at depth {@code d} covers address bits {@code [6d, 6d + 6)} and owns the prefixes whose
 * length {@code L} satisfies {@code d == (L - 1) / 6} (and /0 at the root). It stores:
 * <ul>
 *   <li>the <em>internal prefixes</em> it owns, as a 127-bit bitmap over the heap index
 *       {@code (1 << r) - 1 + b} (r = 0..6 bits into the node, b their value) plus a dense value
 *       array; this is the control-plane record used by get, remove and iteration;</li>
 *   <li>the <em>leaf runs</em>: for each of the 64 slots the value of the longest internal prefix
 *       covering it (prefix expansion), run-length compressed: bit {@code s} of {@code leafMap} marks
 *       that a new run starts at slot {@code s}; the run's value is
 *       {@code slots[bitCount(leafMap & ((2 << s) - 1)) - 1]}, null for no match;</li>
 *   <li>the children, dense, after the runs in the same array:
 *       {@code slots[runs + bitCount(childMap & ((1 << s) - 1))]}.</li>
 * </ul>
 * A lookup therefore touches per level one node and one (usually one-cache-line) slot array, and
 * remembers the last non-null leaf value on the way down (no leaf pushing, so an update rewrites only
 * the node that owns the prefix and copies its path to the root).
 */
final class StrideNode {

    static final int STRIDE = 6;
    private static final StrideNode[] NO_CHILDREN = new StrideNode[0];
    private static final Object[] NO_VALUES = new Object[0];
    private static final Object[] ONE_NULL = new Object[1];

    /** The node with nothing in it; roots start as this. */
    static final StrideNode EMPTY = new StrideNode(0, NO_CHILDREN, 0, 0, NO_VALUES);

    final long childMap;
    final long leafMap;
    /** Leaf run values, then children: {@code slots[0, runs)} and {@code slots[runs, runs + children)}. */
    final Object[] slots;
    final int runs;
    final long prefixLo;
    final long prefixHi;
    final Object[] prefixVals;

    private StrideNode(long childMap, StrideNode[] children, long prefixLo, long prefixHi, Object[] prefixVals) {
        this.childMap = childMap;
        this.prefixLo = prefixLo;
        this.prefixHi = prefixHi;
        this.prefixVals = prefixVals;
        long map = 1;
        Object[] vals = ONE_NULL;
        if (prefixVals.length != 0) {
            Object[] expanded = expand(prefixLo, prefixHi, prefixVals);
            int n = 1;
            for (int s = 1; s < 64; s++) {
                if (expanded[s] != expanded[s - 1]) {
                    map |= 1L << s;
                    n++;
                }
            }
            vals = new Object[n];
            for (int s = 0, k = 0; s < 64; s++) {
                if ((map & (1L << s)) != 0) {
                    vals[k++] = expanded[s];
                }
            }
        }
        this.leafMap = map;
        this.runs = vals.length;
        Object[] all = new Object[vals.length + children.length];
        System.arraycopy(vals, 0, all, 0, vals.length);
        System.arraycopy(children, 0, all, vals.length, children.length);
        this.slots = all;
    }

    /** Prefix expansion: paints internal prefixes shortest first, so longer ones win. */
    private static Object[] expand(long lo, long hi, Object[] vals) {
        Object[] slots = new Object[64];
        int k = 0;
        for (int idx = 0; idx < 127; idx++) {
            if (!bit(lo, hi, idx)) {
                continue;
            }
            int r = 31 - Integer.numberOfLeadingZeros(idx + 1);
            int b = idx + 1 - (1 << r);
            Arrays.fill(slots, b << (STRIDE - r), (b + 1) << (STRIDE - r), vals[k++]);
        }
        return slots;
    }

    private static boolean bit(long lo, long hi, int idx) {
        return idx < 64 ? (lo & (1L << idx)) != 0 : (hi & (1L << (idx - 64))) != 0;
    }

    /** Heap index of the internal prefix of {@code r} bits (0..6) with value {@code b}. */
    static int prefixIndex(int r, int b) {
        return (1 << r) - 1 + b;
    }

    private int prefixRank(int idx) {
        return idx < 64
                ? Long.bitCount(prefixLo & ((1L << idx) - 1))
                : Long.bitCount(prefixLo) + Long.bitCount(prefixHi & ((1L << (idx - 64)) - 1));
    }

    /** Value of the internal prefix at {@code idx}, or null. */
    Object prefixValue(int idx) {
        return bit(prefixLo, prefixHi, idx) ? prefixVals[prefixRank(idx)] : null;
    }

    /** This node with the internal prefix at {@code idx} set to {@code v} (null removes it). */
    StrideNode withPrefix(int idx, Object v) {
        boolean present = bit(prefixLo, prefixHi, idx);
        int rank = prefixRank(idx);
        if (!present && v == null) {
            return this;
        }
        if (present && prefixVals[rank] == v) {
            return this;
        }
        long lo = prefixLo;
        long hi = prefixHi;
        Object[] vals;
        if (present && v != null) {
            vals = prefixVals.clone();
            vals[rank] = v;
        } else if (present) {
            vals = new Object[prefixVals.length - 1];
            System.arraycopy(prefixVals, 0, vals, 0, rank);
            System.arraycopy(prefixVals, rank + 1, vals, rank, vals.length - rank);
            if (idx < 64) {
                lo &= ~(1L << idx);
            } else {
                hi &= ~(1L << (idx - 64));
            }
        } else {
            vals = new Object[prefixVals.length + 1];
            System.arraycopy(prefixVals, 0, vals, 0, rank);
            vals[rank] = v;
            System.arraycopy(prefixVals, rank, vals, rank + 1, prefixVals.length - rank);
            if (idx < 64) {
                lo |= 1L << idx;
            } else {
                hi |= 1L << (idx - 64);
            }
        }
        return new StrideNode(childMap, children(), lo, hi, vals);
    }

    /** Value of the longest internal prefix covering slot {@code s}, or null. */
    Object leafValue(int s) {
        return slots[Long.bitCount(leafMap & ((2L << s) - 1)) - 1];
    }

    /** The child at slot {@code s}, or null. */
    StrideNode child(int s) {
        long bit = 1L << s;
        return (childMap & bit) == 0 ? null : (StrideNode) slots[runs + Long.bitCount(childMap & (bit - 1))];
    }

    /** The children, dense, in slot order. */
    StrideNode[] children() {
        StrideNode[] kids = new StrideNode[slots.length - runs];
        System.arraycopy(slots, runs, kids, 0, kids.length);
        return kids;
    }

    /** This node with the child at slot {@code s} replaced ({@code c == null} removes it). */
    StrideNode withChild(int s, StrideNode c) {
        long bit = 1L << s;
        int rank = Long.bitCount(childMap & (bit - 1));
        boolean present = (childMap & bit) != 0;
        StrideNode[] children = children();
        StrideNode[] kids;
        long map = childMap;
        if (present && c != null) {
            kids = children.clone();
            kids[rank] = c;
        } else if (present) {
            kids = new StrideNode[children.length - 1];
            System.arraycopy(children, 0, kids, 0, rank);
            System.arraycopy(children, rank + 1, kids, rank, kids.length - rank);
            map &= ~bit;
        } else if (c != null) {
            kids = new StrideNode[children.length + 1];
            System.arraycopy(children, 0, kids, 0, rank);
            kids[rank] = c;
            System.arraycopy(children, rank, kids, rank + 1, children.length - rank);
            map |= bit;
        } else {
            return this;
        }
        return new StrideNode(map, kids.length == 0 ? NO_CHILDREN : kids, prefixLo, prefixHi,
                prefixVals.length == 0 ? NO_VALUES : prefixVals);
    }

    boolean isEmpty() {
        return childMap == 0 && prefixVals.length == 0;
    }

    /** Shallow heap size of this node and its arrays (64-bit JVM, compressed oops, 8-byte alignment). */
    long shallowBytes() {
        long node = 12 + 4 * 8 + 4 + 2 * 4;
        return align(node) + arrayBytes(slots.length) + arrayBytes(prefixVals.length);
    }

    private static long arrayBytes(int refs) {
        return refs == 0 ? 0 : align(16 + 4L * refs);
    }

    private static long align(long n) {
        return (n + 7) & ~7L;
    }
}
