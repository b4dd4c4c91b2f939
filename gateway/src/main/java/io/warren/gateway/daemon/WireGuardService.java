package io.warren.gateway.daemon;

import io.warren.gateway.config.ConfigDiff;
import io.warren.gateway.config.InterfaceConfig;
import io.warren.gateway.config.WarrenConfig;
import io.warren.gateway.transport.Transports;
import io.warren.gateway.transport.WireGuardInterface;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs every {@code [interface.NAME]} of the config as a {@link WireGuardInterface} with its TUN
 * device, link settings, kernel routes and UAPI socket ({@link RunningInterface}). On reload, an
 * interface whose name, MTU or addresses changed is restarted; any other change is reconciled into
 * the running interface, so peers that did not change keep their sessions.
 */
public final class WireGuardService implements Service {
    private static final Logger LOG = Logger.getLogger(WireGuardService.class.getName());

    private final InterfaceFactory factory;
    private final Map<String, RunningInterface> running = new LinkedHashMap<>();
    /** An immutable copy of {@link #running}, made again after every start, apply and close. */
    private volatile Map<String, RunningInterface> published = Map.of();
    private Transports transports;

    /** Opens the pieces of one interface; replaced in tests. */
    @FunctionalInterface
    public interface InterfaceFactory {
        RunningInterface open(InterfaceConfig config, Transports transports) throws Exception;
    }

    public WireGuardService(InterfaceFactory factory) {
        this.factory = factory;
    }

    /** The production service: kernel TUN devices, rtnetlink, UAPI sockets in /var/run/wireguard. */
    public static WireGuardService standard() {
        return new WireGuardService(RunningInterface::open);
    }

    @Override
    public String name() {
        return "wireguard";
    }

    /**
     * The running interfaces by name (for status, metrics and NAT traversal): an immutable map, the
     * same instance until the next start, apply or close, which always publish a new one (also when
     * only an interface's configuration changed). Callers may cache what they derive from the
     * configurations by the identity of this map. Any thread; allocates nothing.
     */
    public Map<String, RunningInterface> interfaces() {
        return published;
    }

    private void publish() {
        published = Map.copyOf(running);
    }

    @Override
    public void start(WarrenConfig config) throws Exception {
        if (config.interfaces().isEmpty()) {
            return;
        }
        transports = Transports.create(1);
        try {
            for (InterfaceConfig ic : config.interfaces().values()) {
                running.put(ic.name(), factory.open(ic, transports));
            }
        } finally {
            publish();
        }
    }

    @Override
    public void apply(WarrenConfig previous, WarrenConfig next, ConfigDiff diff) throws Exception {
        try {
            applyInterfaces(next, diff);
        } finally {
            publish();
        }
    }

    private void applyInterfaces(WarrenConfig next, ConfigDiff diff) throws Exception {
        if (transports == null && !next.interfaces().isEmpty()) {
            transports = Transports.create(1);
        }
        for (String name : diff.interfaces().removed().keySet()) {
            RunningInterface ri = running.remove(name);
            if (ri != null) {
                ri.close();
            }
        }
        for (Map.Entry<String, InterfaceConfig> e : next.interfaces().entrySet()) {
            InterfaceConfig want = e.getValue();
            RunningInterface ri = running.get(e.getKey());
            if (ri == null) {
                running.put(want.name(), factory.open(want, transports));
            } else if (ri.needsRestart(want)) {
                LOG.info(want.name() + ": MTU or addresses changed; restarting the interface");
                ri.close();
                running.remove(want.name());
                running.put(want.name(), factory.open(want, transports));
            } else {
                ri.update(want);
            }
        }
    }

    @Override
    public void close() {
        for (RunningInterface ri : List.copyOf(running.values())) {
            try {
                ri.close();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "closing " + ri.name(), e);
            }
        }
        running.clear();
        publish();
        if (transports != null) {
            transports.close();
            transports = null;
        }
    }
}
