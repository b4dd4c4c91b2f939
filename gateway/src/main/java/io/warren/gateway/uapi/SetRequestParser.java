package io.warren.gateway.uapi;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Turns the {@code key=value} lines of one {@code set=1} request into a {@link DeviceChange}, with
 * wireguard-go's rules: device keys ({@code private_key}, {@code listen_port}, {@code fwmark},
 * {@code replace_peers}) until the first {@code public_key}; after it only peer keys
 * ({@code update_only}, {@code remove}, {@code preshared_key}, {@code endpoint},
 * {@code persistent_keepalive_interval}, {@code replace_allowed_ips}, {@code allowed_ip},
 * {@code protocol_version}). A line without {@code =} is {@link UapiErrno#EPROTO}; any other bad line is
 * {@link UapiErrno#EINVAL}. Single use, single-threaded. Error reasons name the key, never the value.
 */
final class SetRequestParser {
    private Optional<UapiKey> privateKey = Optional.empty();
    private OptionalInt listenPort = OptionalInt.empty();
    private OptionalLong fwmark = OptionalLong.empty();
    private boolean replacePeers;
    private final List<PeerChange> peers = new ArrayList<>();
    private PeerSection peer;
    private String error = "";

    /** Takes one line (without {@code \n}, not blank). Answers 0, or a positive errno; see {@link #error()}. */
    int accept(String line) {
        int eq = line.indexOf('=');
        if (eq < 0) {
            return fail(UapiErrno.EPROTO, "line without '='");
        }
        String key = line.substring(0, eq);
        String value = line.substring(eq + 1);
        if (key.equals("public_key")) {
            Optional<UapiKey> publicKey = UapiKey.parseHex(value);
            if (publicKey.isEmpty()) {
                return fail(UapiErrno.EINVAL, "public_key is not 64 hex digits");
            }
            closePeer();
            peer = new PeerSection(publicKey.get());
            return 0;
        }
        return peer == null ? deviceLine(key, value) : peer.line(key, value);
    }

    /** The whole request, once its blank line came and every line was accepted. */
    DeviceChange finish() {
        closePeer();
        return new DeviceChange(privateKey, listenPort, fwmark, replacePeers, peers);
    }

    /** Why the last {@link #accept} failed. */
    String error() {
        return error;
    }

    private int deviceLine(String key, String value) {
        switch (key) {
            case "private_key" -> {
                privateKey = UapiKey.parseHex(value);
                return privateKey.isPresent() ? 0 : fail(UapiErrno.EINVAL, "private_key is not 64 hex digits");
            }
            case "listen_port" -> {
                long port = parseUnsigned(value, 0xffff);
                listenPort = port < 0 ? OptionalInt.empty() : OptionalInt.of((int) port);
                return port < 0 ? fail(UapiErrno.EINVAL, "listen_port is not 0..65535") : 0;
            }
            case "fwmark" -> {
                long mark = parseUnsigned(value, 0xffff_ffffL);
                fwmark = mark < 0 ? OptionalLong.empty() : OptionalLong.of(mark);
                return mark < 0 ? fail(UapiErrno.EINVAL, "fwmark is not an unsigned 32-bit number") : 0;
            }
            case "replace_peers" -> {
                replacePeers = true;
                return isTrue(value, "replace_peers");
            }
            default -> {
                return fail(UapiErrno.EINVAL, "invalid UAPI device key: " + printable(key));
            }
        }
    }

    private void closePeer() {
        if (peer != null) {
            peers.add(peer.build());
            peer = null;
        }
    }

    private int isTrue(String value, String key) {
        return value.equals("true") ? 0 : fail(UapiErrno.EINVAL, key + " takes only the value true");
    }

    private int fail(int errno, String reason) {
        error = reason;
        return errno;
    }

    /**
     * Parses a decimal unsigned number as Go's {@code strconv.ParseUint(s, 10, bits)}: ASCII digits only,
     * leading zeros allowed. Answers -1 when empty, not digits, or above {@code max}.
     */
    static long parseUnsigned(String text, long max) {
        if (text.isEmpty() || text.length() > 20) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
            if (value > max) {
                return -1;
            }
        }
        return value;
    }

    /** Key names reach the log only when they look like key names, never as something that may be a secret. */
    private static String printable(String key) {
        return key.matches("[a-z_]{1,40}") ? key : "(" + key.length() + " other characters)";
    }

    /** The lines of one {@code public_key=} section, folded in order. */
    private final class PeerSection {
        private final UapiKey publicKey;
        private boolean remove;
        private boolean updateOnly;
        private Optional<UapiKey> presharedKey = Optional.empty();
        private Optional<PeerEndpoint> endpoint = Optional.empty();
        private OptionalInt keepalive = OptionalInt.empty();
        private boolean replaceAllowedIps;
        private final List<AllowedIp> allowedIps = new ArrayList<>();

        PeerSection(UapiKey publicKey) {
            this.publicKey = publicKey;
        }

        int line(String key, String value) {
            switch (key) {
                case "update_only" -> {
                    updateOnly = true;
                    return isTrue(value, key);
                }
                case "remove" -> {
                    remove = true;
                    return isTrue(value, key);
                }
                case "preshared_key" -> {
                    presharedKey = UapiKey.parseHex(value);
                    return presharedKey.isPresent() ? 0 : fail(UapiErrno.EINVAL, "preshared_key is not 64 hex digits");
                }
                case "endpoint" -> {
                    endpoint = PeerEndpoint.parse(value);
                    return endpoint.isPresent() ? 0 : fail(UapiErrno.EINVAL, "endpoint is not IPv4:port or [IPv6]:port");
                }
                case "persistent_keepalive_interval" -> {
                    long seconds = parseUnsigned(value, 0xffff);
                    keepalive = seconds < 0 ? OptionalInt.empty() : OptionalInt.of((int) seconds);
                    return seconds < 0 ? fail(UapiErrno.EINVAL, "persistent_keepalive_interval is not 0..65535") : 0;
                }
                case "replace_allowed_ips" -> {
                    replaceAllowedIps = true;
                    allowedIps.clear();
                    return isTrue(value, key);
                }
                case "allowed_ip" -> {
                    Optional<AllowedIp> prefix = AllowedIp.parse(value);
                    prefix.ifPresent(allowedIps::add);
                    return prefix.isPresent() ? 0 : fail(UapiErrno.EINVAL, "allowed_ip is not an IP prefix");
                }
                case "protocol_version" -> {
                    return value.equals("1") ? 0 : fail(UapiErrno.EINVAL, "protocol_version is not 1");
                }
                default -> {
                    return fail(UapiErrno.EINVAL, "invalid UAPI peer key: " + printable(key));
                }
            }
        }

        PeerChange build() {
            return new PeerChange(publicKey, remove, updateOnly, presharedKey, endpoint, keepalive,
                    replaceAllowedIps, allowedIps);
        }
    }
}
