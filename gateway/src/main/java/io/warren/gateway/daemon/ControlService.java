package io.warren.gateway.daemon;

import io.warren.gateway.config.ConfigDiff;
import io.warren.gateway.config.WarrenConfig;
import io.warren.gateway.control.ClientAdded;
import io.warren.gateway.control.ClientFiles;
import io.warren.gateway.control.ClientOnboarding;
import io.warren.gateway.control.ControlBackend;
import io.warren.gateway.control.ControlFailure;
import io.warren.gateway.control.ControlProtocol;
import io.warren.gateway.control.ControlRequest;
import io.warren.gateway.control.ControlServer;
import io.warren.gateway.control.ReloadReport;
import io.warren.gateway.control.StatusCollector;
import io.warren.gateway.control.StatusReport;
import io.warren.gateway.control.meters.Meters;
import io.warren.gateway.control.meters.WireGuardMeters;
import io.warren.gateway.transport.WireGuardInterface;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The control socket ({@code [control].socket}) and the per-peer metrics. Starts after the
 * WireGuard service: on start and on every reload (on the daemon's control thread) it takes a copy
 * of the running interfaces, which control-socket workers read for status, and brings the peer
 * meters in step. Reload and client-add requests are handed to the daemon's control thread as
 * {@link DaemonEvent.Reload} and awaited.
 */
public final class ControlService implements Service, ControlBackend {
    private static final Logger LOG = Logger.getLogger(ControlService.class.getName());
    /** Longest wait for a reload the control socket asked for. */
    static final Duration RELOAD_TIMEOUT = Duration.ofSeconds(60);

    private final WarrenDaemon daemon;
    private final WireGuardService wireguard;
    private final WireGuardMeters meters;
    private final ClientFiles clientFiles;
    private final Clock clock;
    private final Object clientLock = new Object();
    private volatile Map<String, WireGuardInterface> interfaces = Map.of();
    private volatile Supplier<List<StatusReport.Lease>> leases = List::of;
    private volatile Supplier<Map<String, io.warren.gateway.tunnel.Tunnel>> tunnels = Map::of;
    private volatile Supplier<Map<String, StatusReport.Nat>> nat = Map::of;
    private ControlServer server;

    public ControlService(WarrenDaemon daemon, WireGuardService wireguard, Meters meters, Clock clock) {
        this.daemon = Objects.requireNonNull(daemon, "daemon");
        this.wireguard = wireguard;
        this.meters = new WireGuardMeters(meters, clock);
        this.clientFiles = new ClientFiles(new SecureRandom(), clock);
        this.clock = clock;
    }

    /** Hook for the tunnel service: which tunnels are running, for {@code status}. */
    public void tunnelSource(Supplier<Map<String, io.warren.gateway.tunnel.Tunnel>> source) {
        this.tunnels = Objects.requireNonNull(source, "source");
    }

    /** Hook for NAT traversal: what STUN found out per interface, for {@code status}. */
    public void natSource(Supplier<Map<String, StatusReport.Nat>> source) {
        this.nat = Objects.requireNonNull(source, "source");
    }

    /** Hook for a DHCP service: where {@code status} gets the leases from. */
    public void leaseSource(Supplier<List<StatusReport.Lease>> source) {
        this.leases = Objects.requireNonNull(source, "source");
    }

    @Override
    public String name() {
        return "control";
    }

    @Override
    public void start(WarrenConfig config) throws IOException {
        refresh(config);
        bind(config.control().socket());
    }

    @Override
    public void apply(WarrenConfig previous, WarrenConfig next, ConfigDiff diff) throws IOException {
        refresh(next);
        if (diff.control().isPresent()) {
            closeServer();
            bind(next.control().socket());
        }
    }

    private void refresh(WarrenConfig config) {
        Map<String, WireGuardInterface> now = new LinkedHashMap<>();
        wireguard.interfaces().forEach((name, ri) -> now.put(name, ri.wireGuard()));
        interfaces = java.util.Collections.unmodifiableMap(now);
        meters.sync(now, config);
    }

    private void bind(Path socket) throws IOException {
        server = ControlServer.start(ControlServer.Config.defaults(socket), new ControlProtocol(this));
    }

    // ---- ControlBackend: called on control-socket workers ---------------------------------------

    @Override
    public StatusReport status() throws ControlFailure {
        WarrenConfig config = daemon.runningConfig();
        if (config == null) {
            throw new ControlFailure(ControlFailure.UNAVAILABLE, "the daemon is still starting");
        }
        return StatusCollector.collect(config, interfaces, leases.get(), tunnels.get(), nat.get(),
                clock.instant().getEpochSecond());
    }

    @Override
    public ReloadReport reload() throws ControlFailure {
        CompletableFuture<ReloadOutcome> done = new CompletableFuture<>();
        if (!daemon.submit(new DaemonEvent.Reload("control socket", done))) {
            throw new ControlFailure(ControlFailure.UNAVAILABLE, "the daemon is busy (event queue full); try again");
        }
        try {
            ReloadOutcome o = done.get(RELOAD_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            return new ReloadReport(o.applied(), o.kept(), o.messages());
        } catch (TimeoutException e) {
            throw new ControlFailure(ControlFailure.UNAVAILABLE, "the reload did not finish within "
                    + RELOAD_TIMEOUT.toSeconds() + " s; see the daemon's log");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ControlFailure(ControlFailure.UNAVAILABLE, "the daemon is stopping");
        } catch (ExecutionException e) {
            throw new ControlFailure(ControlFailure.INTERNAL, "reload failed: " + e.getCause());
        }
    }

    @Override
    public ClientAdded addClient(ControlRequest.ClientAdd request) throws ControlFailure {
        Path file = daemon.configFile();
        if (file == null) {
            throw new ControlFailure(ControlFailure.UNAVAILABLE, "the daemon is still starting");
        }
        synchronized (clientLock) {
            ClientOnboarding.Plan plan = clientFiles.add(file, request);
            ReloadReport reload = reload();
            if (!reload.applied()) {
                LOG.warning("client \"" + request.name() + "\" written to " + file + " but the reload failed");
            }
            return new ClientAdded(request.name(), plan.iface(), plan.address().toString(), plan.clientConfig(),
                    reload.messages());
        }
    }

    private void closeServer() {
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                LOG.log(Level.WARNING, "closing the control socket: " + e.getMessage());
            }
            server = null;
        }
    }

    @Override
    public void close() {
        closeServer();
        meters.close();
    }
}
