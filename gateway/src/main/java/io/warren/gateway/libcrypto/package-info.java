/**
 * OpenSSL's libcrypto as the transport ChaCha20-Poly1305 (RFC 8439 §2.8; WireGuard whitepaper
 * §5.4.6): a shell-side binding through jnr-ffi that the protocol core receives as a
 * {@link io.warren.crypto.session.TransportAeadFactory}, so {@code io.warren.crypto} stays free of
 * native code. {@link io.warren.gateway.libcrypto.LibCrypto} is the EVP binding (every call at
 * most five arguments, addresses as {@code long});
 * {@link io.warren.gateway.libcrypto.LibcryptoTransportAead} seals and opens in place;
 * {@link io.warren.gateway.libcrypto.LibcryptoAead} loads the library and checks it against the
 * RFC vector; {@link io.warren.gateway.libcrypto.TransportAeadChoice} is the rule that picks it
 * over the Java implementations (Debian's libssl3 is a dependency of the package; without it the
 * Java implementations are used).
 *
 * <p>Threading: one {@code EVP_CIPHER_CTX} per {@code TransportAead}, that is per keypair
 * direction; like the Java implementations an instance is used by one thread at a time (the
 * interface serialises calls into its peers). Loading happens once per JVM.
 *
 * <p>Buffers: the caller owns the buffers; direct buffers are processed in place at their native
 * address (no copy), heap buffers through a per-thread direct bounce buffer. Each instance owns a
 * small native block (key, nonce, length word) and its context, both wiped and freed by
 * {@code destroy()} or, failing that, by a {@link java.lang.ref.Cleaner}.
 */
package io.warren.gateway.libcrypto;
