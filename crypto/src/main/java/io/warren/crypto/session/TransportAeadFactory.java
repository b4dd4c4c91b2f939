package io.warren.crypto.session;

/**
 * Makes the {@link TransportAead} for one transport key (WireGuard whitepaper §5.4.5: the two
 * keys each {@link Keypair} derives). The protocol core receives it through {@link PeerConfig},
 * so a shell can inject an implementation the core does not know (a native library), while the
 * Java ones are the {@link AeadImplementation} constants.
 */
@FunctionalInterface
public interface TransportAeadFactory {
    /** A new instance for the 32-byte {@code key} (copied, not retained by reference). */
    TransportAead create(byte[] key);
}
