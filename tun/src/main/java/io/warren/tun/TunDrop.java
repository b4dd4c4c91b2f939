package io.warren.tun;

/** Why a packet was dropped at the device boundary; each reason is counted, never thrown. */
public enum TunDrop {
    /** A packet was larger than the space left in the read buffer; the kernel truncated it. */
    READ_TRUNCATED,
    /** The kernel rejected a written packet as malformed ({@code EINVAL}, e.g. bad vnet header). */
    WRITE_MALFORMED,
    /** The interface was down ({@code EIO}) when a packet was written. */
    WRITE_DEVICE_DOWN,
    /** No buffer space for a written packet ({@code EAGAIN}, {@code ENOBUFS}, {@code ENOMEM}). */
    WRITE_NO_BUFFER,
    /** An in-memory device's bounded queue was full. */
    QUEUE_FULL
}
