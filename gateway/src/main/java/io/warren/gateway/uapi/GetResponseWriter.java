package io.warren.gateway.uapi;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Renders a {@link DeviceState} as the body of a {@code get=1} reply, line for line as wireguard-go's
 * {@code IpcGetOperation}: {@code private_key} (when set), {@code listen_port} and {@code fwmark} (when
 * non-zero), then per peer {@code public_key}, {@code preshared_key}, {@code protocol_version=1},
 * {@code endpoint} (when known), {@code last_handshake_time_sec}, {@code last_handshake_time_nsec},
 * {@code tx_bytes}, {@code rx_bytes}, {@code persistent_keepalive_interval} and one {@code allowed_ip}
 * per prefix. Keys are lowercase hex. The {@code errno=0} trailer is the caller's.
 *
 * <p>Key hex goes straight into the output bytes (no {@code String}), so the caller can wipe the
 * whole reply after sending it.
 */
final class GetResponseWriter {
    private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private GetResponseWriter() {
    }

    /** Appends the reply body for {@code state} to {@code out}. */
    static void write(DeviceState state, ByteArrayOutputStream out) {
        state.privateKey().ifPresent(key -> key(out, "private_key", key));
        if (state.listenPort() != 0) {
            line(out, "listen_port=" + state.listenPort());
        }
        if (state.fwmark() != 0) {
            line(out, "fwmark=" + state.fwmark());
        }
        for (PeerState peer : state.peers()) {
            key(out, "public_key", peer.publicKey());
            key(out, "preshared_key", peer.presharedKey());
            line(out, "protocol_version=1");
            peer.endpoint().ifPresent(endpoint -> line(out, "endpoint=" + endpoint));
            line(out, "last_handshake_time_sec=" + peer.lastHandshakeEpochSeconds());
            line(out, "last_handshake_time_nsec=" + peer.lastHandshakeNanos());
            line(out, "tx_bytes=" + peer.txBytes());
            line(out, "rx_bytes=" + peer.rxBytes());
            line(out, "persistent_keepalive_interval=" + peer.persistentKeepaliveInterval());
            for (AllowedIp ip : peer.allowedIps()) {
                line(out, "allowed_ip=" + ip);
            }
        }
    }

    private static void line(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
        out.write('\n');
    }

    private static void key(ByteArrayOutputStream out, String name, UapiKey key) {
        out.writeBytes(name.getBytes(StandardCharsets.US_ASCII));
        out.write('=');
        byte[] bytes = key.bytes();
        for (int i = 0; i < bytes.length; i++) {
            out.write(HEX_DIGITS[(bytes[i] >> 4) & 0xf]);
            out.write(HEX_DIGITS[bytes[i] & 0xf]);
            bytes[i] = 0;
        }
        out.write('\n');
    }
}
