package io.warren.routing;

import io.warren.routing.IpPrefix.Family;
import java.util.function.BiConsumer;

/**
 * Control-plane operations on the immutable {@link StrideNode} trie: path-copying set and remove,
 * exact find, iteration and size accounting. A prefix of length {@code L} is owned by the node at
 * depth {@code (L - 1) / 6} (/0 by the root); the nodes above it are its path.
 */
final class StrideTrie {

    private StrideTrie() {
    }

    static int ownerDepth(int length) {
        return length == 0 ? 0 : (length - 1) / StrideNode.STRIDE;
    }

    /** Path-copying set ({@code value == null} removes); empty children are pruned. */
    static StrideNode set(StrideNode n, long hi, long lo, int len, int depth, Object value, Object[] prev) {
        int base = depth * StrideNode.STRIDE;
        if (depth == ownerDepth(len)) {
            int r = len - base;
            int b = r == 0 ? 0 : Chunks.chunk(hi, lo, base) >>> (StrideNode.STRIDE - r);
            int idx = StrideNode.prefixIndex(r, b);
            prev[0] = n.prefixValue(idx);
            return n.withPrefix(idx, value);
        }
        int c = Chunks.chunk(hi, lo, base);
        StrideNode child = n.child(c);
        if (child == null) {
            if (value == null) {
                return n;
            }
            child = StrideNode.EMPTY;
        }
        StrideNode updated = set(child, hi, lo, len, depth + 1, value, prev);
        if (updated == child) {
            return n;
        }
        return n.withChild(c, updated.isEmpty() ? null : updated);
    }

    static Object find(StrideNode n, IpPrefix p) {
        int len = p.length();
        int owner = ownerDepth(len);
        for (int depth = 0; depth < owner; depth++) {
            n = n.child(Chunks.chunk(p.hi(), p.lo(), depth * StrideNode.STRIDE));
            if (n == null) {
                return null;
            }
        }
        int base = owner * StrideNode.STRIDE;
        int r = len - base;
        int b = r == 0 ? 0 : Chunks.chunk(p.hi(), p.lo(), base) >>> (StrideNode.STRIDE - r);
        return n.prefixValue(StrideNode.prefixIndex(r, b));
    }

    static void walk(StrideNode n, Family f, int depth, long hi, long lo, BiConsumer<IpPrefix, Object> action) {
        int base = depth * StrideNode.STRIDE;
        for (int r = 0; r <= StrideNode.STRIDE; r++) {
            int len = base + r;
            if (len > f.bits() || (r == 0 && depth > 0)) {
                continue;
            }
            for (int b = 0; b < (1 << r); b++) {
                Object v = n.prefixValue(StrideNode.prefixIndex(r, b));
                if (v != null) {
                    long phi = Chunks.placeHi(hi, base, r, b);
                    long plo = Chunks.placeLo(lo, base, r, b);
                    IpPrefix p = f == Family.IPV4 ? IpPrefix.v4((int) (phi >>> 32), len) : IpPrefix.v6(phi, plo, len);
                    action.accept(p, v);
                }
            }
        }
        for (int c = 0; c < 64; c++) {
            StrideNode child = n.child(c);
            if (child != null) {
                walk(child, f, depth + 1, Chunks.placeHi(hi, base, StrideNode.STRIDE, c),
                        Chunks.placeLo(lo, base, StrideNode.STRIDE, c), action);
            }
        }
    }

    static void measure(StrideNode n, long[] acc) {
        acc[0]++;
        acc[1] += n.shallowBytes();
        for (StrideNode c : n.children()) {
            measure(c, acc);
        }
    }
}
