package io.warren.gateway.nat;

import io.warren.gateway.uapi.UapiKey;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The current path of every introduced spoke, by interface name, published by the coordination
 * agents for status and metrics (which read it from other threads). A peer nobody published is a
 * configured peer: {@link PeerPath#DIRECT}.
 */
public final class PeerPaths {
    private static final Map<String, Map<UapiKey, PeerPath>> PATHS = new ConcurrentHashMap<>();

    private PeerPaths() {
    }

    /** The path of {@code peer} on {@code iface}. */
    public static PeerPath of(String iface, byte[] peer) {
        Map<UapiKey, PeerPath> m = PATHS.get(iface);
        PeerPath p = m == null ? null : m.get(UapiKey.of(peer));
        return p == null ? PeerPath.DIRECT : p;
    }

    /** Every introduced spoke of {@code iface} and its path. */
    public static Map<UapiKey, PeerPath> all(String iface) {
        Map<UapiKey, PeerPath> m = PATHS.get(iface);
        return m == null ? Map.of() : Map.copyOf(m);
    }

    static void publish(String iface, List<SpokeCoordinator.Remote> remotes) {
        Map<UapiKey, PeerPath> m = new ConcurrentHashMap<>();
        for (SpokeCoordinator.Remote r : remotes) {
            m.put(r.key(), r.path());
        }
        PATHS.put(iface, m);
    }

    static void clear(String iface) {
        PATHS.remove(iface);
    }
}
