package io.warren.gateway.uapi;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One peer in a {@link DeviceState} snapshot: configuration plus counters, as a UAPI {@code get}
 * reports it.
 *
 * @param publicKey the peer's static public key
 * @param presharedKey the preshared key; {@link UapiKey#ZERO} when none
 * @param endpoint the current endpoint, empty when never set nor learned
 * @param lastHandshakeEpochSeconds seconds part of the last handshake's wall-clock time, 0 if none
 * @param lastHandshakeNanos nanoseconds part, 0..999,999,999
 * @param txBytes bytes sent to the peer
 * @param rxBytes bytes received from the peer
 * @param persistentKeepaliveInterval seconds, 0 = off, at most 65535
 * @param allowedIps the peer's allowed-IPs prefixes, without duplicates
 */
public record PeerState(
        UapiKey publicKey,
        UapiKey presharedKey,
        Optional<PeerEndpoint> endpoint,
        long lastHandshakeEpochSeconds,
        int lastHandshakeNanos,
        long txBytes,
        long rxBytes,
        int persistentKeepaliveInterval,
        List<AllowedIp> allowedIps) {

    public PeerState {
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(presharedKey, "presharedKey");
        Objects.requireNonNull(endpoint, "endpoint");
        if (lastHandshakeEpochSeconds < 0 || lastHandshakeNanos < 0 || lastHandshakeNanos > 999_999_999) {
            throw new IllegalArgumentException("bad last handshake time");
        }
        if (txBytes < 0 || rxBytes < 0) {
            throw new IllegalArgumentException("negative byte counter");
        }
        if (persistentKeepaliveInterval < 0 || persistentKeepaliveInterval > 0xffff) {
            throw new IllegalArgumentException("keepalive out of range: " + persistentKeepaliveInterval);
        }
        allowedIps = List.copyOf(allowedIps);
    }

    /** A newly configured peer: no preshared key, no endpoint, no handshake, zero counters. */
    public static PeerState fresh(UapiKey publicKey) {
        return new PeerState(publicKey, UapiKey.ZERO, Optional.empty(), 0, 0, 0, 0, 0, List.of());
    }

    public PeerState withPresharedKey(UapiKey key) {
        return new PeerState(publicKey, key, endpoint, lastHandshakeEpochSeconds, lastHandshakeNanos,
                txBytes, rxBytes, persistentKeepaliveInterval, allowedIps);
    }

    public PeerState withEndpoint(Optional<PeerEndpoint> value) {
        return new PeerState(publicKey, presharedKey, value, lastHandshakeEpochSeconds, lastHandshakeNanos,
                txBytes, rxBytes, persistentKeepaliveInterval, allowedIps);
    }

    public PeerState withPersistentKeepaliveInterval(int seconds) {
        return new PeerState(publicKey, presharedKey, endpoint, lastHandshakeEpochSeconds, lastHandshakeNanos,
                txBytes, rxBytes, seconds, allowedIps);
    }

    public PeerState withAllowedIps(List<AllowedIp> value) {
        return new PeerState(publicKey, presharedKey, endpoint, lastHandshakeEpochSeconds, lastHandshakeNanos,
                txBytes, rxBytes, persistentKeepaliveInterval, value);
    }
}
