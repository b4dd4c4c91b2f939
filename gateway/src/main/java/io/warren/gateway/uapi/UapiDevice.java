package io.warren.gateway.uapi;

/**
 * The WireGuard device as the UAPI sees it; the gateway implements it. Both methods are called from
 * several UAPI worker threads at once: implementations must be thread-safe, and {@link #apply} must
 * be atomic with respect to {@link #snapshot} (a reader sees the change whole or not at all).
 */
public interface UapiDevice {

    /** The current configuration and counters, as an immutable value. */
    DeviceState snapshot();

    /**
     * Validates the whole change against the current state, then applies all of it; if anything is
     * invalid (for example the listen port cannot be bound) nothing changes and the answer is
     * {@link ApplyResult.Rejected}. Never throws for a bad change. {@link DeviceChangeApplier} gives the
     * reference semantics; a peer whose public key equals the device's own is ignored, and private
     * keys are clamped (RFC 7748).
     */
    ApplyResult apply(DeviceChange change);
}
