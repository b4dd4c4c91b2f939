package io.warren.crypto.session;

/**
 * Allocates the 32-bit sender indices that peers put in the receiver field (WireGuard whitepaper
 * §5.4.2 {@code I_i}, §5.4.3 {@code I_r}). The device implements it over its index table so
 * indices are unique across peers and the receive path can find the peer by index.
 */
public interface IndexAllocator {
    /** A fresh, currently unused index owned by the calling peer. */
    int allocate();

    /** Returns {@code index}; it no longer routes to the peer. */
    void release(int index);
}
