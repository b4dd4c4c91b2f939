package io.warren.crypto.session;

import io.warren.crypto.noise.WireGuard;

/**
 * Wire constants and message limits of the transport data message (WireGuard whitepaper §5.4.6,
 * §6.1; names as in the kernel's {@code messages.h}). Values shared with the handshake are taken
 * from {@link WireGuard}, the protocol's single table; time limits live in {@link ProtocolTimers}.
 */
public final class Constants {
    private Constants() {}

    /** Message type of a transport data message ({@code MESSAGE_DATA}). */
    public static final int MESSAGE_DATA = WireGuard.MESSAGE_TRANSPORT;
    /** Handshake message types, dispatched to the {@link Handshaker} port. */
    public static final int MESSAGE_HANDSHAKE_INITIATION = WireGuard.MESSAGE_INITIATION;
    public static final int MESSAGE_HANDSHAKE_RESPONSE = WireGuard.MESSAGE_RESPONSE;
    public static final int MESSAGE_HANDSHAKE_COOKIE = WireGuard.MESSAGE_COOKIE_REPLY;

    /** type(1) reserved(3) receiver(4) counter(8): {@code sizeof(struct message_data)}. */
    public static final int MESSAGE_DATA_HEADER_LENGTH = WireGuard.TRANSPORT_HEADER_SIZE;
    /** Offset of the little-endian receiver index in a data message. */
    public static final int OFFSET_RECEIVER = 4;
    /** Offset of the little-endian 64-bit counter in a data message. */
    public static final int OFFSET_COUNTER = 8;
    /** Poly1305 tag length ({@code noise_encrypted_len(0)}). */
    public static final int AUTH_TAG_LENGTH = WireGuard.TAG_LEN;
    /** Smallest valid data message: header and the tag of an empty (keepalive) payload. */
    public static final int MESSAGE_DATA_MIN_LENGTH = MESSAGE_DATA_HEADER_LENGTH + AUTH_TAG_LENGTH;
    /** Plaintext is zero-padded to a multiple of this ({@code MESSAGE_PADDING_MULTIPLE}). */
    public static final int MESSAGE_PADDING_MULTIPLE = 16;
    /** Largest inner packet accepted (IPv6 jumbo-free maximum). */
    public static final int MAX_INNER_PACKET = 65535;

    /** §6.1: initiate a new handshake after this many messages on a keypair (2^60). */
    public static final long REKEY_AFTER_MESSAGES = 1L << 60;
    /** §6.1: never use a keypair for this many messages; unsigned 2^64 - 2^13 - 1. */
    public static final long REJECT_AFTER_MESSAGES = 0xFFFF_FFFF_FFFF_DFFFL;

    /** Packets held per peer while a handshake runs ({@code MAX_STAGED_PACKETS}); oldest dropped. */
    public static final int MAX_STAGED_PACKETS = 128;
}
