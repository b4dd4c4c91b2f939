package io.warren.gateway.daemon;

import java.util.concurrent.BlockingQueue;
import java.util.logging.Level;
import java.util.logging.Logger;
import sun.misc.Signal;

/**
 * Turns SIGHUP into {@link DaemonEvent.Reload} and SIGTERM/SIGINT into {@link DaemonEvent.Stop}
 * on the daemon's queue. The handlers only enqueue ({@code offer}, never blocking): all work
 * happens on the control thread. {@code sun.misc.Signal} is the JDK's supported-but-internal hook
 * (module {@code jdk.unsupported}); there is no public API for SIGHUP.
 */
final class SignalEvents {
    private static final Logger LOG = Logger.getLogger(SignalEvents.class.getName());

    private SignalEvents() {
    }

    static void install(BlockingQueue<DaemonEvent> queue) {
        handle("HUP", () -> DaemonEvent.Reload.fromSignal(), queue);
        handle("TERM", () -> new DaemonEvent.Stop("SIGTERM"), queue);
        handle("INT", () -> new DaemonEvent.Stop("SIGINT"), queue);
    }

    private static void handle(String name, java.util.function.Supplier<DaemonEvent> event,
                               BlockingQueue<DaemonEvent> queue) {
        try {
            Signal.handle(new Signal(name), s -> {
                if (!queue.offer(event.get())) {
                    LOG.warning("SIG" + name + " ignored: the daemon's event queue is full");
                }
            });
        } catch (IllegalArgumentException e) {
            LOG.log(Level.WARNING, "cannot handle SIG" + name + ": " + e.getMessage());
        }
    }
}
