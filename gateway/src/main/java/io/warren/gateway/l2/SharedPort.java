package io.warren.gateway.l2;

/**
 * An underlay socket shared by every L2 tunnel on one port (UDP) or one address family (IP):
 * reference-counted, demultiplexing received datagrams to the tunnel registered under their key
 * (VNI or session id).
 */
interface SharedPort extends AutoCloseable {
    /** The sink every tunnel on this port sends through. */
    DatagramSink sender();

    /** Routes datagrams carrying {@code key} to {@code r}; false if the key is taken. */
    boolean register(long key, SharedUdpPort.Receiver r);

    void unregister(long key);

    /** Drops one reference; true when it was the last (the caller then closes the port). */
    boolean release();

    @Override
    void close();
}
