package io.warren.gateway.uapi;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What one {@code public_key=} section of a {@code set=1} request asks for, with the line order already
 * folded in (a {@code replace_allowed_ips=true} drops the {@code allowed_ip} lines before it).
 *
 * @param publicKey the peer this section selects (and creates, unless {@code updateOnly})
 * @param remove {@code remove=true}: the peer is removed; the other fields are then ignored
 * @param updateOnly {@code update_only=true}: change the peer only if it already exists
 * @param presharedKey a new preshared key; {@link UapiKey#ZERO} clears it
 * @param endpoint a new endpoint
 * @param persistentKeepaliveInterval a new keepalive interval in seconds, 0..65535
 * @param replaceAllowedIps {@code replace_allowed_ips=true}: drop the peer's allowed IPs first
 * @param allowedIps prefixes to add, in request order (a prefix held by another peer moves here)
 */
public record PeerChange(
        UapiKey publicKey,
        boolean remove,
        boolean updateOnly,
        Optional<UapiKey> presharedKey,
        Optional<PeerEndpoint> endpoint,
        OptionalInt persistentKeepaliveInterval,
        boolean replaceAllowedIps,
        List<AllowedIp> allowedIps) {

    public PeerChange {
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(presharedKey, "presharedKey");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(persistentKeepaliveInterval, "persistentKeepaliveInterval");
        allowedIps = List.copyOf(allowedIps);
    }
}
