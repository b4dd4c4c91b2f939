package io.warren.gateway.l2;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;

/**
 * Sizes a TAP device from the underlay: the MTU of the interface that holds the source address the
 * kernel picks for the remote endpoint (a connected UDP socket asks the routing table; nothing is
 * sent); {@link io.warren.gateway.config.TunnelOverhead} takes the outer headers off. Run on a thread
 * in the right network namespace.
 */
final class UnderlayMtu {
    /** Assumed when the underlay interface cannot be found. */
    static final int FALLBACK = 1500;

    private UnderlayMtu() {
    }

    /** The MTU of the interface the kernel would send to {@code remote} from, or {@link #FALLBACK}. */
    static int towards(InetAddress remote) {
        try (DatagramSocket s = new DatagramSocket()) {
            s.connect(remote, 9);
            InetAddress local = s.getLocalAddress();
            NetworkInterface ni = local == null ? null : NetworkInterface.getByInetAddress(local);
            return ni == null ? FALLBACK : ni.getMTU();
        } catch (SocketException e) {
            return FALLBACK;
        } catch (RuntimeException e) {
            return FALLBACK;
        }
    }
}
