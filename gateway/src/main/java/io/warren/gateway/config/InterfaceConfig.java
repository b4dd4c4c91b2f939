package io.warren.gateway.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A WireGuard interface: {@code [interface.NAME]} and its {@code [[interface.NAME.peer]]} entries.
 *
 * @param name           interface name (also the TUN device name), e.g. {@code wg0}
 * @param privateKey     the resolved private key (inline or read from {@code privateKeyFile})
 * @param privateKeyFile where the key came from, if from a file
 * @param listenPort     UDP port; 0 means "pick one" (a client that only dials out)
 * @param addresses      addresses of the interface, with prefix length (host bits kept)
 * @param mtu            TUN MTU
 * @param fwmark         firewall mark for outgoing UDP, if set
 * @param publicEndpoint the address remote clients reach the gateway at (for {@code warren client add})
 * @param peers          peers, in file order
 * @param queues         TUN queues ({@code IFF_MULTI_QUEUE}), one reader thread each: how many
 *                       cores the outbound encryption may use ({@link #defaultQueues()} unless set)
 */
public record InterfaceConfig(
        String name,
        WgKey privateKey,
        Optional<Path> privateKeyFile,
        int listenPort,
        List<IpPrefix> addresses,
        int mtu,
        OptionalInt fwmark,
        Optional<Endpoint> publicEndpoint,
        List<PeerConfig> peers,
        int queues) {

    /** WireGuard's usual MTU: 1500 minus 80 bytes of IPv6 + UDP + WireGuard overhead. */
    public static final int DEFAULT_MTU = 1420;

    /** Largest {@code queues}. */
    public static final int MAX_QUEUES = 16;
    /** {@link #defaultQueues()} is at most this. */
    static final int DEFAULT_QUEUES_CAP = 4;

    public InterfaceConfig {
        if (queues < 1 || queues > MAX_QUEUES) {
            throw new IllegalArgumentException("queues out of range: " + queues);
        }
        addresses = List.copyOf(addresses);
        peers = List.copyOf(peers);
    }

    /**
     * TUN queues when the file sets none: one per two CPUs, at least 1, at most
     * {@value #DEFAULT_QUEUES_CAP}. A queue's reader seals one share of the outbound flows; the
     * receive thread and the kernel's own TUN and UDP work per packet need the other cores. On two
     * cores a second queue measured no gain (bench/run, both daemons and iperf3 on the same two
     * cores: TCP 1 and 4 streams 3% and 5% below one queue, within the noise but never above), so
     * small machines keep the single queue.
     */
    public static int defaultQueues() {
        return defaultQueues(Runtime.getRuntime().availableProcessors());
    }

    /** {@link #defaultQueues()} for {@code cpus} CPUs. */
    static int defaultQueues(int cpus) {
        return Math.max(1, Math.min(DEFAULT_QUEUES_CAP, cpus / 2));
    }

    /** This interface's public key (derived from the private key). */
    public WgKey publicKey() {
        return privateKey.publicKey();
    }

    /** Equal apart from the peer list: a change here means the interface itself must be reconfigured. */
    public boolean sameSettings(InterfaceConfig o) {
        return name.equals(o.name) && privateKey.equals(o.privateKey) && listenPort == o.listenPort
                && addresses.equals(o.addresses) && mtu == o.mtu && fwmark.equals(o.fwmark)
                && publicEndpoint.equals(o.publicEndpoint) && queues == o.queues;
    }

    /** The peer with this public key, if any. */
    public Optional<PeerConfig> peer(WgKey publicKey) {
        return peers.stream().filter(p -> p.publicKey().equals(publicKey)).findFirst();
    }

    /** The peer with this name, if any. */
    public Optional<PeerConfig> peerNamed(String peerName) {
        return peers.stream().filter(p -> p.name().filter(peerName::equals).isPresent()).findFirst();
    }
}
