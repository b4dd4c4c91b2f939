/**
 * The WireGuard handshake (whitepaper §5.4, Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s), sans-I/O.
 *
 * <p>Role: wire codecs of the four messages ({@link io.warren.crypto.noise.MessageInitiation},
 * {@link io.warren.crypto.noise.MessageResponse}, {@link io.warren.crypto.noise.MessageCookieReply},
 * {@link io.warren.crypto.noise.MessageTransport}; {@link io.warren.crypto.noise.MessageType#of} peeks),
 * the per-peer {@link io.warren.crypto.noise.Handshake} producing {@link io.warren.crypto.noise.SessionKeys},
 * the cookie/MAC layer ({@link io.warren.crypto.noise.CookieGenerator} on the sending side,
 * {@link io.warren.crypto.noise.CookieChecker} on the receiving side), the per-source
 * {@link io.warren.crypto.noise.HandshakeRateLimiter} and the {@link io.warren.crypto.noise.IndexTable}.
 * Constants are in {@link io.warren.crypto.noise.WireGuard}. Receive order in the shell:
 * {@code parse -> CookieChecker.check (mac1; mac2 under load) -> HandshakeRateLimiter (under load)
 * -> Handshake.consume*}.
 *
 * <p>Threading: no threads, sockets or clocks here. Time ({@code now} nanoseconds, monotonic unless
 * named {@code nowWallNanos}) and randomness ({@link java.security.SecureRandom}) are parameters.
 * Classes are not thread-safe unless their Javadoc says so ({@link io.warren.crypto.noise.IndexTable}
 * and {@link io.warren.crypto.noise.StaticIdentity} are); the shell serializes calls per peer.
 *
 * <p>Buffers: parsers read the caller's {@link java.nio.ByteBuffer} between position and limit without
 * moving it, and copy what they keep, except {@link io.warren.crypto.noise.MessageTransport#encrypted()},
 * a read-only view of the caller's buffer. Messages are immutable and return copies. Bad input is a
 * sealed result with a reason enum, never an exception; secrets are zeroed when a handshake ends and
 * never appear in {@code toString()}.
 */
package io.warren.crypto.noise;
