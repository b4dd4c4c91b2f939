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
 * @param unknownRequired whether it carries a comprehension-required attribute (type below 0x8000)
 *                      we do not know: a response with one is discarded and its transaction has
 *                      failed (§6.3.3, §6.3.4); the id is kept so that only OUR server can fail it
 */
public record StunMessage(int type, TransactionId transactionId, Optional<InetSocketAddress> xorMapped,
                          Optional<InetSocketAddress> mapped, boolean fingerprinted, boolean unknownRequired) {

    /** The reflexive address: XOR-MAPPED-ADDRESS when present, else MAPPED-ADDRESS (§14.1). */
    public Optional<InetSocketAddress> reflexive() {
        return xorMapped.isPresent() ? xorMapped : mapped;
    }
}
