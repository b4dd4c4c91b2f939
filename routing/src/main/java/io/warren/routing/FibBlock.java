package io.warren.routing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Compiles the {@link StrideNode} subtree under one top entry of a {@link Fib} into its flat lookup
 * form (a "block"), with leaf pushing and path compression.
 *
 * <p><b>Node layout.</b> {@code long[] nodes} holds {@value #WIDTH} longs per node ({@value #WIDTH_NO_SKIP}
 * without path compression, for IPv4, whose chains below the 18-bit top are at most two nodes long):
 * <ol start="0">
 *   <li>{@code childMap}: bit {@code s} set when slot {@code s} has a child;</li>
 *   <li>{@code leafMap}: bit {@code s} set when a leaf run starts at slot {@code s} (bit 0 always);</li>
 *   <li>{@code childBase << 32 | leafBase}: children are contiguous (breadth-first order), so the child
 *       at slot {@code s} is node {@code childBase + bitCount(childMap & ((1 << s) - 1))}, and the leaf of
 *       slot {@code s} is {@code leaves[leafBase + bitCount(leafMap & ((2 << s) - 1)) - 1]};</li>
 *   <li>{@code skip}: 0, or {@code bits << 58 | expected}: before its own 6 bits, the node consumes
 *       {@code bits} (6 to {@value #MAX_SKIP_CHUNKS} x 6) address bits that must equal {@code expected}
 *       (path compression of a chain of nodes that hold no prefix and one child each). On a mismatch the
 *       answer is {@code leaves[leafBase - 1]}, the value inherited from above the chain.</li>
 * </ol>
 *
 * <p><b>Leaf pushing</b> (Srinivasan and Varghese, 1999; Poptrie): every leaf run holds the value of the
 * longest prefix covering it anywhere on the path from the top entry, not only the node's own prefixes,
 * so a lookup reads one leaf, at the node where it stops, and nothing else on the way down. Slots that
 * have a child never need their leaf, so they extend the preceding run instead of starting one. A block
 * therefore depends on its subtree and on the value inherited from above the top entry; {@link Fib}
 * reuses it only when both are unchanged.
 */
final class FibBlock {

    /** Longs per compiled node with path compression (IPv6) and without (IPv4). */
    static final int WIDTH = 4;
    static final int WIDTH_NO_SKIP = 3;
    /** At most this many 6-bit chunks per skip word (54 bits plus the 6-bit length). */
    static final int MAX_SKIP_CHUNKS = 9;
    static final int SKIP_SHIFT = 58;
    static final long SKIP_EXPECTED = (1L << SKIP_SHIFT) - 1;

    /** A node waiting to be emitted: the node after its compressed chain, the chain and the inherited value. */
    private record Pending(StrideNode node, long skip, Object inherited) {
    }

    private FibBlock() {
    }

    /**
     * Compiles {@code top} (inheriting {@code inherited}) into {@code nodesOut[i]} and {@code leavesOut[i]},
     * with skip words ({@link #WIDTH} longs per node) when {@code compress}, else {@link #WIDTH_NO_SKIP}.
     */
    static void compile(StrideNode top, Object inherited, boolean compress, long[][] nodesOut, Object[][] leavesOut,
            int i) {
        int width = compress ? WIDTH : WIDTH_NO_SKIP;
        int maxChunks = compress ? MAX_SKIP_CHUNKS : 0;
        List<Pending> queue = new ArrayList<>();
        queue.add(chain(top, inherited, maxChunks));
        List<Object> leaves = new ArrayList<>();
        long[] nodes = new long[width * 8];
        Object[] pushed = new Object[64];
        int nextChild = 1;
        for (int k = 0; k < queue.size(); k++) {
            Pending e = queue.get(k);
            StrideNode n = e.node();
            long childMap = n.childMap;
            for (int s = 0, ownRun = -1; s < 64; s++) {
                if ((n.leafMap & (1L << s)) != 0) {
                    ownRun++;
                }
                Object own = n.slots[ownRun];
                pushed[s] = own != null ? own : e.inherited();
            }
            for (long m = childMap; m != 0; m &= m - 1) {
                int s = Long.numberOfTrailingZeros(m);
                queue.add(chain(n.child(s), pushed[s], maxChunks));
            }
            if (e.skip() != 0) {
                leaves.add(e.inherited());
            }
            int leafBase = leaves.size();
            long leafMap = 1;
            Object run = pushed[0];
            leaves.add(run);
            for (int s = 1; s < 64; s++) {
                if ((childMap & (1L << s)) == 0 && pushed[s] != run) {
                    run = pushed[s];
                    leafMap |= 1L << s;
                    leaves.add(run);
                }
            }
            if (width * (k + 1) > nodes.length) {
                nodes = Arrays.copyOf(nodes, 2 * nodes.length);
            }
            int p = width * k;
            nodes[p] = childMap;
            nodes[p + 1] = leafMap;
            nodes[p + 2] = (long) nextChild << 32 | leafBase;
            if (compress) {
                nodes[p + 3] = e.skip();
            }
            nextChild += Long.bitCount(childMap);
        }
        nodesOut[i] = Arrays.copyOf(nodes, width * queue.size());
        leavesOut[i] = leaves.toArray();
    }

    /** Follows the chain of prefix-less single-child nodes from {@code n}, up to {@code maxChunks}. */
    private static Pending chain(StrideNode n, Object inherited, int maxChunks) {
        long expected = 0;
        int chunks = 0;
        while (chunks < maxChunks && n.prefixVals.length == 0 && Long.bitCount(n.childMap) == 1) {
            int s = Long.numberOfTrailingZeros(n.childMap);
            expected = expected << StrideNode.STRIDE | s;
            n = n.child(s);
            chunks++;
        }
        long skip = chunks == 0 ? 0 : (long) (chunks * StrideNode.STRIDE) << SKIP_SHIFT | expected;
        return new Pending(n, skip, inherited);
    }
}
