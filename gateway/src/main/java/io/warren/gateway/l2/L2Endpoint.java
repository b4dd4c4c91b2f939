package io.warren.gateway.l2;

/**
 * The shared socket one L2 tunnel sends and receives on ({@link SharedUdpPort}, {@link SharedRawPort}),
 * as the tunnel sees it: a sink for its datagrams, a registration of its key (VNI or Session ID) for
 * received ones, and a reference it drops on close (the last one closes the socket).
 */
interface L2Endpoint {

    /** Where the tunnel's datagrams go. */
    DatagramSink sink();

    /** Routes datagrams carrying {@code key} to {@code r}; false if another tunnel holds the key. */
    boolean register(long key, SharedUdpPort.Receiver r);

    /** Undoes {@link #register}. */
    void unregister(long key);

    /** Drops the tunnel's reference (the last one closes the socket). */
    void release();
}
