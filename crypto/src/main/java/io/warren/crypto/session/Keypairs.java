package io.warren.crypto.session;

import java.util.function.Consumer;

/**
 * A peer's previous, current and next keypair (WireGuard whitepaper §5.4.6 and §6; the rotation
 * of wireguard-go's {@code BeginSymmetricSession} and {@code ReceivedWithKeypair}):
 *
 * <ul>
 *   <li>initiator: the new keypair becomes {@code current} at once (the response proved the peer
 *       has it); the old current (or an unconfirmed next) becomes {@code previous};</li>
 *   <li>responder: the new keypair waits in {@code next} until the initiator's first data
 *       message arrives on it ({@link #received}); only then does it rotate into
 *       {@code current}. {@code previous} is dropped so at most three keypairs live.</li>
 * </ul>
 *
 * Keypairs leaving the set are destroyed and reported to {@code onRemoved} (which frees the
 * local index). Owned by the peer's thread.
 */
public final class Keypairs {
    private final Consumer<Keypair> onRemoved;
    private Keypair previous;
    private Keypair current;
    private Keypair next;

    public Keypairs(Consumer<Keypair> onRemoved) {
        this.onRemoved = onRemoved;
    }

    public Keypair previous() { return previous; }

    public Keypair current() { return current; }

    public Keypair next() { return next; }

    /** Installs a freshly derived keypair (§5.4.6 "after the handshake"). */
    public void install(Keypair keypair) {
        if (keypair.isInitiator()) {
            if (next != null) {
                remove(previous);
                previous = next;
                next = null;
                remove(current);
            } else {
                remove(previous);
                previous = current;
            }
            current = keypair;
        } else {
            remove(next);
            next = keypair;
            remove(previous);
            previous = null;
        }
    }

    /**
     * Called after a data message authenticated on {@code keypair}: confirms a waiting
     * {@code next}. Returns true when this confirmation completed a handshake (responder side).
     */
    public boolean received(Keypair keypair) {
        if (next == null || next != keypair) {
            return false;
        }
        remove(previous);
        previous = current;
        current = next;
        next = null;
        return true;
    }

    /** The keypair with local index {@code index}, or null. */
    public Keypair byLocalIndex(int index) {
        if (current != null && current.localIndex() == index) {
            return current;
        }
        if (previous != null && previous.localIndex() == index) {
            return previous;
        }
        if (next != null && next.localIndex() == index) {
            return next;
        }
        return null;
    }

    /** Destroys all keypairs (§6.1 zeroing after REJECT_AFTER_TIME * 3). */
    public void clear() {
        remove(previous);
        remove(current);
        remove(next);
        previous = current = next = null;
    }

    private void remove(Keypair keypair) {
        if (keypair != null && !keypair.isDestroyed()) {
            keypair.destroy();
            onRemoved.accept(keypair);
        }
    }
}
