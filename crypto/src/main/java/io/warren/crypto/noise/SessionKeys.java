package io.warren.crypto.noise;

import java.util.Arrays;

/**
 * The transport keys derived when a handshake completes (WireGuard paper §5.4.5,
 * {@code T_send, T_recv = HKDF2(C, ε)}), with the two session indices.
 *
 * <p>This is the hand-over point between the handshake ({@code noise}) and the data path
 * ({@code session}): the handshake produces it, a {@code Keypair} consumes it. Keys are never
 * printed: {@link #toString()} shows only indices and role.
 */
public final class SessionKeys {
    private final byte[] sendKey;
    private final byte[] receiveKey;
    private final int localIndex;
    private final int remoteIndex;
    private final boolean initiator;

    /**
     * @param sendKey 32-byte key for messages this side sends (copied)
     * @param receiveKey 32-byte key for messages this side receives (copied)
     * @param localIndex the sender index this side chose (peers address us by it)
     * @param remoteIndex the sender index the peer chose (we address the peer by it)
     * @param initiator true when this side sent the handshake initiation
     */
    public SessionKeys(byte[] sendKey, byte[] receiveKey, int localIndex, int remoteIndex, boolean initiator) {
        if (sendKey.length != 32 || receiveKey.length != 32) {
            throw new IllegalArgumentException("transport keys are 32 bytes");
        }
        this.sendKey = sendKey.clone();
        this.receiveKey = receiveKey.clone();
        this.localIndex = localIndex;
        this.remoteIndex = remoteIndex;
        this.initiator = initiator;
    }

    /** The sending key; the caller must not modify or retain it beyond the keypair's life. */
    public byte[] sendKey() { return sendKey; }

    /** The receiving key; the caller must not modify or retain it beyond the keypair's life. */
    public byte[] receiveKey() { return receiveKey; }

    public int localIndex() { return localIndex; }

    public int remoteIndex() { return remoteIndex; }

    public boolean isInitiator() { return initiator; }

    /** Overwrites both keys with zeros. */
    public void destroy() {
        Arrays.fill(sendKey, (byte) 0);
        Arrays.fill(receiveKey, (byte) 0);
    }

    @Override
    public String toString() {
        return "SessionKeys[local=" + Integer.toUnsignedString(localIndex)
                + ", remote=" + Integer.toUnsignedString(remoteIndex)
                + ", initiator=" + initiator + "]";
    }
}
