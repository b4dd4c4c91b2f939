package io.warren.gateway.control;

/**
 * What the control protocol asks of the daemon. Implemented by {@code daemon.ControlService};
 * called from control-socket worker threads, so implementations are thread-safe.
 */
public interface ControlBackend {

    /** The gateway's state now. */
    StatusReport status() throws ControlFailure;

    /** Queues a reload on the daemon's control thread and waits for its outcome. */
    ReloadReport reload() throws ControlFailure;

    /** Adds a client to the config file, reloads, and returns its config. */
    ClientAdded addClient(ControlRequest.ClientAdd request) throws ControlFailure;
}
