package io.warren.gateway.nat;

import io.warren.gateway.uapi.UapiKey;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The current path of every introduced spoke, by interface name, published by the coordination
 * agents for status and metrics (which read it from other threads). A peer nobody published is a
 * configured peer: {@link PeerPath#DIRECT}.
 *
 * <p>Each name is owned by the agent that {@link #claim claimed} it last: across a reload the new
 * agent claims the name when it is built, and the old one, whenever it ticks or closes after
 * that, can neither overwrite nor clear the new one's paths.
 */
public final class PeerPaths {
    /** The paths of one interface and the agent that owns them. */
    private record Owned(Object owner, Map<UapiKey, PeerPath> paths) {
    }

    private static final Map<String, Owned> PATHS = new ConcurrentHashMap<>();

    private PeerPaths() {
    }

    /** The path of {@code peer} on {@code iface}. */
    public static PeerPath of(String iface, byte[] peer) {
        Owned o = PATHS.get(iface);
        PeerPath p = o == null ? null : o.paths().get(UapiKey.of(peer));
        return p == null ? PeerPath.DIRECT : p;
    }

    /** Every introduced spoke of {@code iface} and its path. */
    public static Map<UapiKey, PeerPath> all(String iface) {
        Owned o = PATHS.get(iface);
        return o == null ? Map.of() : Map.copyOf(o.paths());
    }

    /** Makes {@code owner} the owner of {@code iface}'s paths (none yet): a new agent, replacing any old one. */
    static void claim(String iface, Object owner) {
        PATHS.put(iface, new Owned(owner, Map.of()));
    }

    /** Publishes {@code owner}'s paths for {@code iface}; ignored when another agent owns the name now. */
    static void publish(String iface, Object owner, List<SpokeCoordinator.Remote> remotes) {
        Map<UapiKey, PeerPath> m = new ConcurrentHashMap<>();
        for (SpokeCoordinator.Remote r : remotes) {
            m.put(r.key(), r.path());
        }
        Owned mine = new Owned(owner, m);
        PATHS.compute(iface, (k, current) -> current == null || current.owner() == owner ? mine : current);
    }

    /** Removes {@code iface}'s paths if {@code owner} still owns them. */
    static void clear(String iface, Object owner) {
        PATHS.computeIfPresent(iface, (k, current) -> current.owner() == owner ? null : current);
    }
}
