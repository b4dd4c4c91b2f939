package io.warren.gateway.dhcp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The options of one message, immutable, in wire order, one value per code. A code appearing more
 * than once on the wire is concatenated in order (RFC 3396 §7), so values may exceed 255 bytes;
 * the encoder splits them again. Values of the options this server interprets have their lengths
 * checked by {@link #validLength} before a message holds them.
 */
public final class DhcpOptions {

    /** No options. */
    public static final DhcpOptions EMPTY = new DhcpOptions(new LinkedHashMap<>());

    private final Map<Integer, byte[]> byCode;

    private DhcpOptions(LinkedHashMap<Integer, byte[]> byCode) {
        this.byCode = byCode;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * True if {@code length} is allowed for {@code code}: RFC 2132 §9.1-9.6 and §9.14 for the
     * options the server interprets, at least 1 for host name (§3.14) and parameter request list
     * (§9.8), any length for the rest: some options are defined with length 0 (Rapid Commit, RFC
     * 4039 §4; Relay Agent Information sub-options may be absent, RFC 3046), and an option the server
     * does not interpret must not cost the client its message. Pad and end carry no length.
     */
    public static boolean validLength(int code, int length) {
        switch (code) {
            case DhcpWire.OPT_MESSAGE_TYPE:
            case DhcpWire.OPT_OVERLOAD:
                return length == 1;
            case DhcpWire.OPT_REQUESTED_ADDRESS:
            case DhcpWire.OPT_SERVER_ID:
            case DhcpWire.OPT_LEASE_TIME:
            case DhcpWire.OPT_SUBNET_MASK:
            case DhcpWire.OPT_RENEWAL_TIME:
            case DhcpWire.OPT_REBINDING_TIME:
                return length == 4;
            case DhcpWire.OPT_MAX_MESSAGE_SIZE:
                return length == 2;
            case DhcpWire.OPT_CLIENT_ID:
                return length >= 2; // RFC 2132 §9.14: minimum length 2
            case DhcpWire.OPT_HOST_NAME:
            case DhcpWire.OPT_PARAMETER_REQUEST_LIST:
                return length >= 1;
            default:
                return length >= 0;
        }
    }

    /** The option codes present, in wire order. */
    public Set<Integer> codes() {
        return Collections.unmodifiableSet(byCode.keySet());
    }

    /** True if {@code code} is present. */
    public boolean has(int code) {
        return byCode.containsKey(code);
    }

    /** A copy of the value of {@code code}. */
    public Optional<byte[]> get(int code) {
        byte[] v = byCode.get(code);
        return v == null ? Optional.empty() : Optional.of(v.clone());
    }

    /** The length of {@code code}'s value, or -1 if absent. */
    public int length(int code) {
        byte[] v = byCode.get(code);
        return v == null ? -1 : v.length;
    }

    /** Option 53 (RFC 2132 §9.6); empty if absent or unknown. */
    public Optional<DhcpMessageType> messageType() {
        byte[] v = byCode.get(DhcpWire.OPT_MESSAGE_TYPE);
        return v == null || v.length != 1 ? Optional.empty() : DhcpMessageType.valueOf(v[0] & 0xff);
    }

    /** Option 50, Requested IP Address (RFC 2132 §9.1), as an int. */
    public OptionalInt requestedAddress() {
        return int32(DhcpWire.OPT_REQUESTED_ADDRESS);
    }

    /** Option 54, Server Identifier (RFC 2132 §9.7), as an int. */
    public OptionalInt serverId() {
        return int32(DhcpWire.OPT_SERVER_ID);
    }

    /** Option 51, IP Address Lease Time in seconds (RFC 2132 §9.2). */
    public OptionalInt leaseTime() {
        return int32(DhcpWire.OPT_LEASE_TIME);
    }

    /** Option 57, Maximum DHCP Message Size (RFC 2132 §9.10). */
    public OptionalInt maxMessageSize() {
        byte[] v = byCode.get(DhcpWire.OPT_MAX_MESSAGE_SIZE);
        return v == null || v.length != 2 ? OptionalInt.empty() : OptionalInt.of(((v[0] & 0xff) << 8) | (v[1] & 0xff));
    }

    /** Option 55, Parameter Request List (RFC 2132 §9.8): the codes, empty if absent. */
    public int[] parameterRequestList() {
        byte[] v = byCode.get(DhcpWire.OPT_PARAMETER_REQUEST_LIST);
        if (v == null) {
            return new int[0];
        }
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] & 0xff;
        }
        return out;
    }

    /** Option 61, Client-identifier (RFC 2132 §9.14): type byte followed by the identifier. */
    public Optional<byte[]> clientId() {
        return get(DhcpWire.OPT_CLIENT_ID);
    }

    /** Option 12, Host Name (RFC 2132 §3.14), as sent (ASCII; other bytes replaced). */
    public Optional<String> hostName() {
        byte[] v = byCode.get(DhcpWire.OPT_HOST_NAME);
        return v == null ? Optional.empty() : Optional.of(new String(v, StandardCharsets.US_ASCII));
    }

    /** Option 82, Relay Agent Information (RFC 3046 §2), opaque. */
    public Optional<byte[]> relayAgentInfo() {
        return get(DhcpWire.OPT_RELAY_AGENT_INFO);
    }

    private OptionalInt int32(int code) {
        byte[] v = byCode.get(code);
        if (v == null || v.length != 4) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(((v[0] & 0xff) << 24) | ((v[1] & 0xff) << 16) | ((v[2] & 0xff) << 8) | (v[3] & 0xff));
    }

    /** Iteration over (code, value) in wire order without copying; the consumer must not modify values. */
    void forEachRaw(java.util.function.BiConsumer<Integer, byte[]> consumer) {
        byCode.forEach(consumer);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DhcpOptions other) || other.byCode.size() != byCode.size()) {
            return false;
        }
        for (Map.Entry<Integer, byte[]> e : byCode.entrySet()) {
            byte[] v = other.byCode.get(e.getKey());
            if (v == null || !Arrays.equals(v, e.getValue())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 0;
        for (Map.Entry<Integer, byte[]> e : byCode.entrySet()) {
            h += e.getKey() ^ Arrays.hashCode(e.getValue());
        }
        return h;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        byCode.forEach((c, v) -> sb.append(sb.length() > 1 ? ", " : "").append(c).append('=').append(DhcpText.hex(v)));
        return sb.append('}').toString();
    }

    /** Builds {@link DhcpOptions}; adding a code again appends to its value (RFC 3396). */
    public static final class Builder {
        private final LinkedHashMap<Integer, byte[]> byCode = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Sets or appends {@code value} for {@code code}.
         *
         * @throws IllegalArgumentException for pad/end or a code outside 1..254 (lengths are checked by
         *                                  {@link #build})
         */
        public Builder add(int code, byte[] value) {
            if (code <= DhcpWire.OPT_PAD || code >= DhcpWire.OPT_END) {
                throw new IllegalArgumentException("option code " + code + " is not a data option");
            }
            byte[] before = byCode.get(code);
            if (before == null) {
                byCode.put(code, value.clone());
            } else {
                byte[] joined = Arrays.copyOf(before, before.length + value.length);
                System.arraycopy(value, 0, joined, before.length, value.length);
                byCode.put(code, joined);
            }
            return this;
        }

        /** Replaces any value of {@code code}. */
        public Builder put(int code, byte[] value) {
            byCode.remove(code);
            return add(code, value);
        }

        /** Adds a one-byte option. */
        public Builder addByte(int code, int value) {
            return add(code, new byte[] {(byte) value});
        }

        /** Adds a four-byte option (an address or a time). */
        public Builder addInt(int code, int value) {
            return add(code, DhcpText.int32(value));
        }

        /** Adds option 53. */
        public Builder messageType(DhcpMessageType type) {
            return addByte(DhcpWire.OPT_MESSAGE_TYPE, type.byteValue());
        }

        /** True if {@code code} was added. */
        public boolean has(int code) {
            return byCode.containsKey(code);
        }

        /** The options, checked with {@link #validLength}. */
        public DhcpOptions build() {
            for (Map.Entry<Integer, byte[]> e : byCode.entrySet()) {
                if (!validLength(e.getKey(), e.getValue().length)) {
                    throw new IllegalArgumentException("option " + e.getKey() + " may not be "
                            + e.getValue().length + " bytes long");
                }
            }
            return new DhcpOptions(new LinkedHashMap<>(byCode));
        }

        /** Like {@link #build} without the length check; the decoder has checked already. */
        DhcpOptions buildChecked() {
            return new DhcpOptions(new LinkedHashMap<>(byCode));
        }
    }
}
