package io.warren.routing;

import java.util.Arrays;

/**
 * The compiled, read-only lookup form ("forwarding information base", RFC 3222 §2) of one family's
 * {@link StrideNode} trie, rebuilt incrementally on every publication of a {@link PrefixTable}.
 *
 * <p><b>Layout</b> (after Poptrie, Asai and Ohara, SIGCOMM 2015): the first {@code topBits} address
 * bits (18 for IPv4, 12 for IPv6) are resolved by direct pointing, each top entry holding the best
 * value of the prefixes up to that length ({@code bestPages}) and, when longer prefixes exist below, a
 * flat compiled subtree (a "block", {@link FibBlock}): {@code long[] nodes}, three or four longs per
 * node (child bitmap, leaf-run bitmap, child and leaf bases, IPv6 skip word), children of a node contiguous so
 * that the next node is {@code childBase + rank}, and {@code Object[] leaves}. Leaves are pushed down
 * (each holds the longest match on its whole path), so a lookup reads one node per level and a single
 * leaf where it stops. In IPv6 blocks, chains of nodes that hold no prefix and one child are
 * path-compressed into a skip word (up to 54 bits compared at once; IPv4 blocks are at most three
 * levels deep and keep three longs per node). An IPv4 /24 thus costs the top entry, one node and one
 * leaf; an IPv6 /48 or /128 among sparse neighbours two or three nodes instead of 6 or 20.
 *
 * <p><b>Incremental compile.</b> Path copying gives every changed subtree a new identity, so a
 * recompile shares every page (top entries under one first-level slot) whose source node and
 * inherited value are the same objects as before, copies unchanged ranges inside a changed page, and
 * compiles only the blocks whose (subtree, inherited value) pair changed. A single IPv4 put or remove thus copies one 4096-entry page
 * (three arrays, 48 KB) and compiles one block; bulk changes still belong in one
 * {@link PrefixTable#update} (one compile for the whole batch). Pages stay small so that the top
 * level never needs humongous arrays.
 *
 * <p>Immutable once built; all fields final, so publication through the volatile snapshot of
 * {@link PrefixTable} is safe.
 */
final class Fib {

    /**
     * Direct-pointing bits: 18 for IPv4 (three strides), 12 for IPv6 (two strides). 18 for IPv6 was
     * measured 10-15% faster on BGP-shaped tables but costs 48 KB per touched page (8 for 2000::/3) and
     * per-update page copies 64 times larger; path compression gave the large win instead.
     */
    static final int TOP_BITS_V4 = 18;
    static final int TOP_BITS_V6 = 12;

    private static final int STRIDE = StrideNode.STRIDE;
    private static final int WIDTH_V4 = FibBlock.WIDTH_NO_SKIP;
    private static final int WIDTH_V6 = FibBlock.WIDTH;

    final int topBits;
    /** Whether blocks are path-compressed (IPv6: skip words, {@link FibBlock#WIDTH} longs per node). */
    private final boolean skips;
    /** Top entries are split by their first 6 bits into 64 pages, so an update copies only its page. */
    final Object[][] bestPages;
    final long[][][] nodePages;
    final Object[][][] leafPages;
    /** The trie root this was compiled from (control plane only). */
    private final StrideNode root;

    private Fib(int topBits, boolean skips, StrideNode root) {
        this.topBits = topBits;
        this.skips = skips;
        this.root = root;
        this.bestPages = new Object[64][];
        this.nodePages = new long[64][][];
        this.leafPages = new Object[64][][];
    }

    /** The empty IPv4 table. */
    static Fib emptyV4() {
        return empty(TOP_BITS_V4, false);
    }

    /** The empty IPv6 table. */
    static Fib emptyV6() {
        return empty(TOP_BITS_V6, true);
    }

    private static Fib empty(int topBits, boolean skips) {
        Fib f = new Fib(topBits, skips, StrideNode.EMPTY);
        for (int c = 0; c < 64; c++) {
            f.blockFreePage(c, null);
        }
        return f;
    }

    private void newPage(int c) {
        int size = 1 << (topBits - StrideNode.STRIDE);
        bestPages[c] = new Object[size];
        nodePages[c] = new long[size][];
        leafPages[c] = new Object[size][];
    }

    /**
     * A page with no prefix longer than 6 bits under it: every entry holds {@code value} and no block.
     * Its block arrays (and, for no value, its best values) are the family's shared all-null pages,
     * never written: 63 of the 64 IPv4 pages of a typical table are such pages (48 KB each otherwise).
     */
    private void blockFreePage(int c, Object value) {
        EmptyPage e = topBits == TOP_BITS_V4 ? EmptyPage.V4 : EmptyPage.V6;
        if (value == null) {
            bestPages[c] = e.best;
        } else {
            bestPages[c] = new Object[e.best.length];
            Arrays.fill(bestPages[c], value);
        }
        nodePages[c] = e.nodes;
        leafPages[c] = e.leaves;
    }

    /** The shared all-null page of one family (see {@link #blockFreePage}). */
    private record EmptyPage(Object[] best, long[][] nodes, Object[][] leaves) {
        static final EmptyPage V4 = of(TOP_BITS_V4);
        static final EmptyPage V6 = of(TOP_BITS_V6);

        private static EmptyPage of(int topBits) {
            int size = 1 << (topBits - StrideNode.STRIDE);
            return new EmptyPage(new Object[size], new long[size][], new Object[size][]);
        }

        boolean owns(Object[] page) {
            return page == best || page == nodes || page == leaves;
        }
    }

    /** Value of the longest prefix containing the IPv4 address {@code a}, or null (an IPv4 Fib). */
    Object lookupV4(int a) {
        int top = a >>> (32 - TOP_BITS_V4);
        int page = top >>> (TOP_BITS_V4 - STRIDE);
        int ix = top & ((1 << (TOP_BITS_V4 - STRIDE)) - 1);
        long[] nodes = nodePages[page][ix];
        if (nodes == null) {
            return bestPages[page][ix];
        }
        Object[] leaves = leafPages[page][ix];
        int p = 0;
        int shift = TOP_BITS_V4;
        while (true) {
            long bit = 1L << ((a << shift) >>> (32 - STRIDE));
            long cm = nodes[p];
            long bases = nodes[p + 2];
            if ((cm & bit) == 0) {
                return leaves[(int) bases + Long.bitCount(nodes[p + 1] & ((bit << 1) - 1)) - 1];
            }
            p = WIDTH_V4 * ((int) (bases >>> 32) + Long.bitCount(cm & (bit - 1)));
            shift += STRIDE;
        }
    }

    /** Value of the longest prefix containing the IPv6 address (hi, lo), or null (an IPv6 Fib). */
    Object lookupV6(long hi, long lo) {
        int top = (int) (hi >>> (64 - TOP_BITS_V6));
        int page = top >>> (TOP_BITS_V6 - STRIDE);
        int ix = top & ((1 << (TOP_BITS_V6 - STRIDE)) - 1);
        long[] nodes = nodePages[page][ix];
        if (nodes == null) {
            return bestPages[page][ix];
        }
        Object[] leaves = leafPages[page][ix];
        int p = 0;
        int o = TOP_BITS_V6;
        while (true) {
            long skip = nodes[p + 3];
            long bases = nodes[p + 2];
            if (skip != 0) {
                int bits = (int) (skip >>> FibBlock.SKIP_SHIFT);
                if (Chunks.bits(hi, lo, o, bits) != (skip & FibBlock.SKIP_EXPECTED)) {
                    return leaves[(int) bases - 1];
                }
                o += bits;
            }
            long bit = 1L << Chunks.chunk(hi, lo, o);
            long cm = nodes[p];
            if ((cm & bit) == 0) {
                return leaves[(int) bases + Long.bitCount(nodes[p + 1] & ((bit << 1) - 1)) - 1];
            }
            p = WIDTH_V6 * ((int) (bases >>> 32) + Long.bitCount(cm & (bit - 1)));
            o += STRIDE;
        }
    }

    /** Compiles {@code root}, reusing the pages and blocks of {@code previous} that did not change. */
    static Fib compile(StrideNode root, Fib previous) {
        Fib f = new Fib(previous.topBits, previous.skips, root);
        StrideNode prevRoot = previous.root;
        for (int c = 0; c < 64; c++) {
            Object v = root.leafValue(c);
            Object pv = prevRoot.leafValue(c);
            StrideNode n = root.child(c);
            StrideNode p = prevRoot.child(c);
            if (n == p && v == pv) {
                f.bestPages[c] = previous.bestPages[c];
                f.nodePages[c] = previous.nodePages[c];
                f.leafPages[c] = previous.leafPages[c];
            } else if (n == null) {
                f.blockFreePage(c, v);
            } else {
                f.newPage(c);
                f.fill(c, n, p, previous, 1, 0, v, pv);
            }
        }
        return f;
    }

    /**
     * Fills the entries of page {@code page} under node {@code n} at {@code depth} (index bits within
     * the page so far {@code index}), whose counterpart in the previous trie is {@code prev};
     * {@code best}/{@code prevBest} are the values inherited from above. Identical (node, inherited
     * value) pairs are copied from the previous page.
     */
    private void fill(int page, StrideNode n, StrideNode prev, Fib previous, int depth, int index, Object best,
            Object prevBest) {
        int levels = topBits / StrideNode.STRIDE;
        if (n == prev && best == prevBest) {
            int shift = StrideNode.STRIDE * (levels - depth);
            int from = index << shift;
            int len = 1 << shift;
            System.arraycopy(previous.bestPages[page], from, bestPages[page], from, len);
            System.arraycopy(previous.nodePages[page], from, nodePages[page], from, len);
            System.arraycopy(previous.leafPages[page], from, leafPages[page], from, len);
            return;
        }
        if (depth == levels) {
            bestPages[page][index] = best;
            if (n != null) {
                // (n, best) differs from the previous (prev, prevBest): leaf pushing makes the block depend on both
                FibBlock.compile(n, best, skips, nodePages[page], leafPages[page], index);
            }
            return;
        }
        for (int c = 0; c < 64; c++) {
            Object v = n == null ? null : n.leafValue(c);
            Object pv = prev == null ? null : prev.leafValue(c);
            fill(page, n == null ? null : n.child(c), prev == null ? null : prev.child(c), previous, depth + 1,
                    index << StrideNode.STRIDE | c, v != null ? v : best, pv != null ? pv : prevBest);
        }
    }

    /**
     * Heap bytes of this compiled form (64-bit JVM, compressed oops), values not counted; shared pages
     * once, the family's shared all-null pages not at all.
     */
    long bytes() {
        long b = 16 + 4 * 4 + 3 * (16 + 4 * 64);
        EmptyPage e = topBits == TOP_BITS_V4 ? EmptyPage.V4 : EmptyPage.V6;
        for (int c = 0; c < 64; c++) {
            int size = bestPages[c].length;
            for (Object[] page : new Object[][] {bestPages[c], nodePages[c], leafPages[c]}) {
                b += e.owns(page) ? 0 : align(16 + 4L * size);
            }
            for (int i = 0; i < size; i++) {
                if (nodePages[c][i] != null) {
                    b += align(16 + 8L * nodePages[c][i].length) + align(16 + 4L * leafPages[c][i].length);
                }
            }
        }
        return b;
    }

    private static long align(long n) {
        return (n + 7) & ~7L;
    }
}
