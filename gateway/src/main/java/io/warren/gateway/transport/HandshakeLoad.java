package io.warren.gateway.transport;

/**
 * Decides when the interface is "under load" (WireGuard whitepaper §5.3): more than
 * {@value #THRESHOLD} handshake messages in one second. The state holds for
 * {@value #HOLD_NANOS} ns after the last overloaded second, as wireguard-go's
 * {@code UnderLoadAfterTime}. Under load, initiations and responses need a valid mac2, i.e. a
 * cookie, so a flood from spoofed addresses costs the gateway only a MAC check each.
 * Sans-I/O: {@code now} is an input. Called under the interface lock.
 */
final class HandshakeLoad {
    static final int THRESHOLD = 128;
    static final long HOLD_NANOS = 1_000_000_000L;
    private static final long WINDOW_NANOS = 1_000_000_000L;

    private long windowStart = Long.MIN_VALUE;
    private int inWindow;
    private long underLoadUntil = Long.MIN_VALUE;

    /** Counts one handshake message at {@code now}; true when the interface is under load. */
    boolean handshakeMessage(long now) {
        if (windowStart == Long.MIN_VALUE || now - windowStart >= WINDOW_NANOS) {
            windowStart = now;
            inWindow = 0;
        }
        inWindow++;
        if (inWindow > THRESHOLD) {
            underLoadUntil = now + HOLD_NANOS;
        }
        return underLoadUntil != Long.MIN_VALUE && now - underLoadUntil < 0;
    }
}
