/**
 * The daemon behind {@code warren run}: it starts a {@link io.warren.gateway.daemon.Service} for
 * each part of the configuration, tells systemd when it is ready, applies reloads as differences,
 * and stops cleanly.
 *
 * <p>Lifecycle: load and validate (done by the CLI before {@code run}) -> start every service ->
 * {@code READY=1}. On SIGHUP or a reload request from the control socket: {@code RELOADING=1},
 * re-read the file; an invalid file changes nothing and is reported; a valid one is first shown to
 * every service ({@code Service.check}: what cannot run on this machine, such as a plain tunnel's
 * {@code mtu} the underlay cannot carry, rejects it the same way, before anything changes), then
 * handed to each service as a {@link io.warren.gateway.config.ConfigDiff}, so untouched peers,
 * tunnels and leases carry on; a part that still fails to apply is kept as it ran and reported
 * ({@link io.warren.gateway.daemon.ApplyFailure}, at its file line); then {@code READY=1}. On SIGTERM or SIGINT: {@code STOPPING=1}, services stop in reverse
 * order, exit 0.
 *
 * <p>Host settings: the tunnel service switches IP forwarding on per device for tunnels with
 * {@code forwarding = true} ({@link io.warren.gateway.daemon.DeviceForwarding}) and restores what
 * it changed when they stop; it never touches the global {@code ip_forward} switch.
 *
 * <p>Threading: one control thread (the caller of {@code run}) owns the service list and applies
 * every event in turn from a bounded queue fed by signal handlers and the control socket; services
 * run their own I/O threads and must make {@code apply} safe against them.
 */
package io.warren.gateway.daemon;
