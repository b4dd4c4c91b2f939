package io.warren.crypto.session;

import java.util.HashSet;
import java.util.Set;

/** Sequential, non-zero indices; tracks which are live so tests can check none leak. */
final class CountingIndices implements IndexAllocator {
    private int next;
    final Set<Integer> live = new HashSet<>();

    CountingIndices(int first) {
        this.next = first;
    }

    @Override
    public int allocate() {
        int index = next++;
        live.add(index);
        return index;
    }

    @Override
    public void release(int index) {
        if (!live.remove(index)) {
            throw new AssertionError("index released twice or never allocated: " + index);
        }
    }
}
