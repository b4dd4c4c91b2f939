package io.warren.gateway.nat;

import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * A decoded STUN Binding message: what this gateway needs of it (RFC 8489 §5, §14).
 *
 * @param type          the message type (method and class), e.g. {@link StunWire#BINDING_SUCCESS_RESPONSE}
 * @param transactionId the 96-bit transaction id
 * @param xorMapped     XOR-MAPPED-ADDRESS (§14.2), decoded
 * @param mapped        MAPPED-ADDRESS (§14.1), from servers that predate RFC 5389
 * @param fingerprinted whether a (valid) FINGERPRINT attribute was present (§14.7)
 */
public record StunMessage(int type, TransactionId transactionId, Optional<InetSocketAddress> xorMapped,
                          Optional<InetSocketAddress> mapped, boolean fingerprinted) {

    /** The reflexive address: XOR-MAPPED-ADDRESS when present, else MAPPED-ADDRESS (§14.1). */
    public Optional<InetSocketAddress> reflexive() {
        return xorMapped.isPresent() ? xorMapped : mapped;
    }
}
