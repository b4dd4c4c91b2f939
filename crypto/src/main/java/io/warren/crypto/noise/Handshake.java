package io.warren.crypto.noise;

import io.warren.crypto.primitives.NoisePrivateKey;
import io.warren.crypto.primitives.NoisePublicKey;
import io.warren.crypto.primitives.PresharedKey;
import io.warren.crypto.primitives.Tai64n;
import io.warren.crypto.primitives.X25519;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.function.Function;

/**
 * Per-peer state of the WireGuard handshake, Noise_IKpsk2 (whitepaper §5.4.2-§5.4.5):
 * <pre>
 *   &lt;- s
 *   -&gt; e, es, s, ss, {TAI64N}       createInitiation / consumeInitiation
 *   &lt;- e, ee, se, psk, {}          createResponse   / consumeResponse
 *   beginSymmetricSession          (T_send, T_recv) = KDF2(C, ε)
 * </pre>
 *
 * <p>API (the session layer codes against these names):
 * <ul>
 *   <li>{@link #createInitiation(long, int, SecureRandom)}: {@code nowWallNanos} is wall-clock time
 *       since the Unix epoch, for the TAI64N timestamp; the ephemeral key comes from {@code rnd}.
 *       The returned message has zero MACs: pass it through {@link CookieGenerator#addMacs}.</li>
 *   <li>{@link #consumeInitiation(StaticIdentity, MessageInitiation, Function, long)}: static, because
 *       the peer is known only after the static key is decrypted. {@code nowNanos} is a monotonic clock
 *       (e.g. {@code System.nanoTime()}) used by the flood rule. Checks MAC1 NOT here but in
 *       {@link CookieChecker}, before this is called.</li>
 *   <li>{@link #createResponse(int, SecureRandom)}, {@link #consumeResponse(MessageResponse)},
 *       {@link #beginSymmetricSession()}, {@link #state()}, {@link #remoteStatic()}.</li>
 * </ul>
 *
 * <p>Drops are sealed results ({@link ConsumedInitiation}, {@link ConsumedResponse}); a failed consume
 * changes nothing. Calling a create/begin method in the wrong {@link State} is a programming error and
 * throws {@link IllegalStateException}.
 *
 * <p>Threading: not thread-safe. The caller serializes all calls on one handshake, including the
 * {@code consumeInitiation} that finds this handshake through {@code peerLookup} and writes it.
 */
public final class Handshake {

    /** Handshake progress, as wireguard-go's {@code handshakeState}. */
    public enum State {
        ZEROED, INITIATION_CREATED, INITIATION_CONSUMED, RESPONSE_CREATED, RESPONSE_CONSUMED
    }

    private final StaticIdentity local;
    private final NoisePublicKey remoteStatic;
    private final byte[] precomputedStaticStatic = new byte[X25519.KEY_LEN];
    /** False when {@code remoteStatic} is a low-order point: no handshake with it can succeed. */
    private final boolean remoteUsable;
    private PresharedKey psk;

    private State state = State.ZEROED;
    private SymmetricState symmetric;
    private NoisePrivateKey localEphemeral;
    private byte[] remoteEphemeral;
    private int localIndex;
    private int remoteIndex;
    private Tai64n lastTimestamp = Tai64n.ZERO;
    private boolean consumedAny;
    private long lastInitiationConsumption;

    /**
     * @param local this interface's identity
     * @param remoteStatic the peer's static public key
     * A {@code remoteStatic} that is a low-order point (the static-static DH is all zeros, RFC
     * 7748 §6.1) is accepted, as the Linux kernel (since 2020, "error out precomputed DH during
     * handshake rather than config") and wireguard-go do: {@link #canHandshake()} is then false,
     * no initiation is created and every initiation naming that key is dropped.
     *
     * @param local this interface's identity
     * @param remoteStatic the peer's static public key
     * @param psk the pre-shared key, {@link PresharedKey#NONE} for none
     */
    public Handshake(StaticIdentity local, NoisePublicKey remoteStatic, PresharedKey psk) {
        this.local = local;
        this.remoteStatic = remoteStatic;
        this.psk = psk;
        this.remoteUsable = local.privateKey().agree(remoteStatic, precomputedStaticStatic);
    }

    /** False when the peer's static key is a low-order point: every handshake with it fails. */
    public boolean canHandshake() {
        return remoteUsable;
    }

    /** Replaces the pre-shared key (configuration change); applies to the next handshake message. */
    public void setPresharedKey(PresharedKey psk) {
        this.psk = psk;
    }

    /**
     * Builds a handshake initiation (§5.4.2) and moves to {@code INITIATION_CREATED}.
     *
     * @param nowWallNanos wall-clock nanoseconds since the Unix epoch (TAI64N payload)
     * @param localIndex our sender index {@code I_i}, from an {@link IndexTable}
     * @param rnd source of the ephemeral key
     * @throws IllegalStateException when {@link #canHandshake()} is false (check it first)
     */
    public MessageInitiation createInitiation(long nowWallNanos, int localIndex, SecureRandom rnd) {
        if (!remoteUsable) {
            throw new IllegalStateException("the peer's static key is a low-order point; check canHandshake()");
        }
        SymmetricState s = SymmetricState.wireGuard();
        s.mixHash(remoteStatic.bytes());
        NoisePrivateKey ephemeral = NoisePrivateKey.generate(rnd);
        byte[] ephemeralPub = ephemeral.publicKey().bytes();
        s.mixKey(ephemeralPub);
        s.mixHash(ephemeralPub);
        byte[] dh = new byte[X25519.KEY_LEN];
        if (!ephemeral.agree(remoteStatic, dh)) {
            throw new IllegalStateException("ephemeral-static DH is zero; the peer key was checked at construction");
        }
        s.mixKey(dh);
        Arrays.fill(dh, (byte) 0);
        byte[] encryptedStatic = s.encryptAndHash(local.publicKey().bytes());
        s.mixKey(precomputedStaticStatic);
        byte[] encryptedTimestamp = s.encryptAndHash(Tai64n.fromEpochNanos(nowWallNanos).toBytes());

        wipeSession();
        this.symmetric = s;
        this.localEphemeral = ephemeral;
        this.localIndex = localIndex;
        this.state = State.INITIATION_CREATED;
        return new MessageInitiation(localIndex, ephemeralPub, encryptedStatic, encryptedTimestamp,
                new byte[WireGuard.MAC_LEN], new byte[WireGuard.MAC_LEN]);
    }

    /**
     * Consumes a handshake initiation addressed to {@code local} (§5.4.2, responder side). MAC1 must
     * already have been checked by {@link CookieChecker}.
     *
     * @param peerLookup the handshake of the peer with the decrypted static key, or {@code null}
     * @param nowNanos monotonic nanoseconds, for the flood rule (one initiation per 20 ms per peer)
     */
    public static ConsumedInitiation consumeInitiation(StaticIdentity local, MessageInitiation msg,
            Function<NoisePublicKey, Handshake> peerLookup, long nowNanos) {
        SymmetricState s = SymmetricState.wireGuard();
        s.mixHash(local.publicKey().bytes());
        byte[] ephemeral = msg.ephemeral();
        s.mixKey(ephemeral);
        s.mixHash(ephemeral);
        byte[] dh = new byte[X25519.KEY_LEN];
        if (!local.privateKey().agree(NoisePublicKey.fromBytes(ephemeral), dh)) {
            return new ConsumedInitiation.Drop(ConsumedInitiation.Reason.INVALID_EPHEMERAL);
        }
        s.mixKey(dh);
        Arrays.fill(dh, (byte) 0);
        byte[] staticBytes = s.decryptAndHash(msg.encryptedStatic());
        if (staticBytes == null) {
            return new ConsumedInitiation.Drop(ConsumedInitiation.Reason.DECRYPT_FAILED);
        }
        Handshake peer = peerLookup.apply(NoisePublicKey.fromBytes(staticBytes));
        if (peer == null) {
            return new ConsumedInitiation.Drop(ConsumedInitiation.Reason.UNKNOWN_PEER);
        }
        if (!peer.remoteUsable) {
            // anyone can compute the all-zero static-static DH: such an initiation proves nothing
            return new ConsumedInitiation.Drop(ConsumedInitiation.Reason.LOW_ORDER_PEER);
        }
        s.mixKey(peer.precomputedStaticStatic);
        byte[] timestamp = s.decryptAndHash(msg.encryptedTimestamp());
        if (timestamp == null) {
            return new ConsumedInitiation.Drop(ConsumedInitiation.Reason.DECRYPT_FAILED);
        }
        Tai64n t = Tai64n.fromBytes(timestamp);
        if (!t.isAfter(peer.lastTimestamp)) {
            return new ConsumedInitiation.Drop(ConsumedInitiation.Reason.REPLAYED_TIMESTAMP);
        }
        if (peer.consumedAny && nowNanos - peer.lastInitiationConsumption <= WireGuard.HANDSHAKE_INITIATION_RATE_NANOS) {
            return new ConsumedInitiation.Drop(ConsumedInitiation.Reason.FLOOD);
        }
        peer.wipeSession();
        peer.symmetric = s;
        peer.remoteEphemeral = ephemeral;
        peer.remoteIndex = msg.sender();
        peer.lastTimestamp = t;
        peer.lastInitiationConsumption = nowNanos;
        peer.consumedAny = true;
        peer.state = State.INITIATION_CONSUMED;
        return new ConsumedInitiation.Ok(peer, msg.sender());
    }

    /**
     * Builds the handshake response (§5.4.3) after a consumed initiation and moves to
     * {@code RESPONSE_CREATED}. The returned message has zero MACs: pass it through
     * {@link CookieGenerator#addMacs}.
     */
    public MessageResponse createResponse(int localIndex, SecureRandom rnd) {
        requireState(State.INITIATION_CONSUMED, "createResponse");
        SymmetricState s = symmetric.copy();
        NoisePrivateKey ephemeral = NoisePrivateKey.generate(rnd);
        byte[] ephemeralPub = ephemeral.publicKey().bytes();
        s.mixHash(ephemeralPub);
        s.mixKey(ephemeralPub);
        byte[] dh = new byte[X25519.KEY_LEN];
        boolean ok = ephemeral.agree(NoisePublicKey.fromBytes(remoteEphemeral), dh);
        s.mixKey(dh);
        ok &= ephemeral.agree(remoteStatic, dh);
        s.mixKey(dh);
        Arrays.fill(dh, (byte) 0);
        if (!ok) {
            throw new IllegalStateException("responder DH is zero; consumeInitiation checked the ephemeral");
        }
        s.mixKeyAndHash(psk.bytes());
        byte[] encryptedNothing = s.encryptAndHash(new byte[0]);

        symmetric.wipe();
        symmetric = s;
        localEphemeral = ephemeral;
        this.localIndex = localIndex;
        state = State.RESPONSE_CREATED;
        return new MessageResponse(localIndex, remoteIndex, ephemeralPub, encryptedNothing,
                new byte[WireGuard.MAC_LEN], new byte[WireGuard.MAC_LEN]);
    }

    /** Consumes the response to our initiation (§5.4.3, initiator side); MAC1 is checked before. */
    public ConsumedResponse consumeResponse(MessageResponse msg) {
        if (state != State.INITIATION_CREATED) {
            return new ConsumedResponse.Drop(ConsumedResponse.Reason.WRONG_STATE);
        }
        if (msg.receiver() != localIndex) {
            return new ConsumedResponse.Drop(ConsumedResponse.Reason.WRONG_RECEIVER);
        }
        SymmetricState s = symmetric.copy();
        byte[] ephemeral = msg.ephemeral();
        NoisePublicKey ephemeralKey = NoisePublicKey.fromBytes(ephemeral);
        s.mixHash(ephemeral);
        s.mixKey(ephemeral);
        byte[] dh = new byte[X25519.KEY_LEN];
        boolean ok = localEphemeral.agree(ephemeralKey, dh);
        s.mixKey(dh);
        ok &= local.privateKey().agree(ephemeralKey, dh);
        s.mixKey(dh);
        Arrays.fill(dh, (byte) 0);
        if (!ok) {
            s.wipe();
            return new ConsumedResponse.Drop(ConsumedResponse.Reason.INVALID_EPHEMERAL);
        }
        s.mixKeyAndHash(psk.bytes());
        if (s.decryptAndHash(msg.encryptedNothing()) == null) {
            s.wipe();
            return new ConsumedResponse.Drop(ConsumedResponse.Reason.DECRYPT_FAILED);
        }
        symmetric.wipe();
        symmetric = s;
        remoteIndex = msg.sender();
        state = State.RESPONSE_CONSUMED;
        return new ConsumedResponse.Ok(remoteIndex);
    }

    /**
     * Derives the transport keys (§5.4.5) after {@code createResponse} (responder) or
     * {@code consumeResponse} (initiator), then wipes the chaining state and returns to {@code ZEROED}.
     */
    public SessionKeys beginSymmetricSession() {
        boolean initiator;
        if (state == State.RESPONSE_CONSUMED) {
            initiator = true;
        } else if (state == State.RESPONSE_CREATED) {
            initiator = false;
        } else {
            throw new IllegalStateException("beginSymmetricSession in state " + state);
        }
        byte[][] t = symmetric.split();
        byte[] send = initiator ? t[0] : t[1];
        byte[] receive = initiator ? t[1] : t[0];
        SessionKeys keys = new SessionKeys(send, receive, localIndex, remoteIndex, initiator);
        Arrays.fill(t[0], (byte) 0);
        Arrays.fill(t[1], (byte) 0);
        wipeSession();
        return keys;
    }

    /**
     * Takes over the replay and flood history of {@code previous}, the handshake this one replaces
     * for the same peer (a reconfigured peer): the newest TAI64N consumed and the time of that
     * consumption (§5.4.2), so a captured initiation cannot be replayed after the change.
     */
    public void inheritReplayHistory(Handshake previous) {
        if (!previous.remoteStatic.equals(remoteStatic)) {
            throw new IllegalArgumentException("replay history of another peer");
        }
        lastTimestamp = previous.lastTimestamp;
        consumedAny = previous.consumedAny;
        lastInitiationConsumption = previous.lastInitiationConsumption;
    }

    /** Forgets any handshake in progress (e.g. after REKEY_ATTEMPT_TIME); keeps the replay/flood history. */
    public void clear() {
        wipeSession();
    }

    public State state() {
        return state;
    }

    public NoisePublicKey remoteStatic() {
        return remoteStatic;
    }

    /** Our sender index of the handshake in progress. */
    public int localIndex() {
        return localIndex;
    }

    /** The peer's sender index, known after consuming its initiation or response. */
    public int remoteIndex() {
        return remoteIndex;
    }

    /** The chaining hash {@code H}, for tests comparing both sides; null when zeroed. */
    byte[] hashForTest() {
        return symmetric == null ? null : symmetric.hash();
    }

    private void requireState(State expected, String op) {
        if (state != expected) {
            throw new IllegalStateException(op + " needs state " + expected + ", is " + state);
        }
    }

    private void wipeSession() {
        if (symmetric != null) {
            symmetric.wipe();
            symmetric = null;
        }
        localEphemeral = null;
        remoteEphemeral = null;
        state = State.ZEROED;
    }

    @Override
    public String toString() {
        return "Handshake[" + remoteStatic + ", " + state + "]";
    }
}
