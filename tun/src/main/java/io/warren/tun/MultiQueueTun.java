package io.warren.tun;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/**
 * A device opened with {@code IFF_MULTI_QUEUE}: one fd per queue, and the kernel spreads received
 * flows over the queues by flow hash ({@code tun_automq_select_queue}). Serve each queue from its own
 * thread. Closing this closes every queue; the interface disappears with the last one.
 */
public final class MultiQueueTun implements Closeable {
    private final String name;
    private final List<TunDevice> queues;
    private final ControlSocket control;

    MultiQueueTun(String name, List<? extends TunDevice> queues, ControlSocket control) {
        this.name = name;
        this.queues = List.copyOf(queues);
        this.control = control;
    }

    /** The interface name. */
    public String name() {
        return name;
    }

    /** The queues, in the order they were attached; each is a {@link TunDevice}. */
    public List<TunDevice> queues() {
        return queues;
    }

    /** The interface MTU ({@code SIOCGIFMTU}). */
    public int mtu() throws IOException {
        return control.mtu(name);
    }

    /** Closes every queue (idempotent). */
    @Override
    public void close() {
        for (TunDevice queue : queues) {
            queue.close();
        }
        control.close();
    }
}
