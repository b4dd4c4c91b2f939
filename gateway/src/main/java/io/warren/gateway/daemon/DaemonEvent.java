package io.warren.gateway.daemon;

import java.util.concurrent.CompletableFuture;

/** What the daemon's control thread acts on, in arrival order. */
public sealed interface DaemonEvent permits DaemonEvent.Reload, DaemonEvent.Stop {

    /**
     * Re-read the config file and apply the difference. {@code done} completes with the outcome
     * (for the control socket's {@code reload}); signal-triggered reloads pass a fresh future.
     */
    record Reload(String origin, CompletableFuture<ReloadOutcome> done) implements DaemonEvent {
        public static Reload fromSignal() {
            return new Reload("SIGHUP", new CompletableFuture<>());
        }
    }

    /** Stop every service and exit. */
    record Stop(String origin) implements DaemonEvent {
    }
}
