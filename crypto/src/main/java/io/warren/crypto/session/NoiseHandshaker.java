package io.warren.crypto.session;

import io.warren.crypto.noise.ConsumedInitiation;
import io.warren.crypto.noise.ConsumedResponse;
import io.warren.crypto.noise.CookieGenerator;
import io.warren.crypto.noise.Handshake;
import io.warren.crypto.noise.MessageCookieReply;
import io.warren.crypto.noise.MessageInitiation;
import io.warren.crypto.noise.MessageResponse;
import io.warren.crypto.noise.ParseDrop;
import io.warren.crypto.noise.Parsed;
import io.warren.crypto.noise.StaticIdentity;
import io.warren.crypto.primitives.NoisePublicKey;
import io.warren.crypto.primitives.PresharedKey;
import java.nio.ByteBuffer;
import java.security.SecureRandom;

/**
 * The production {@link Handshaker}: one peer's Noise_IKpsk2 {@link Handshake} (WireGuard
 * whitepaper §5.4.2–§5.4.5) and its {@link CookieGenerator} (§5.4.4, §5.4.7), speaking encoded
 * datagrams. The device checks mac1/mac2 of incoming handshake messages with its
 * {@code CookieChecker} (it knows the source address and the load) before routing them here.
 * Randomness (ephemeral keys) is injected. Owned by the peer's thread.
 */
public final class NoiseHandshaker implements Handshaker {
    private final StaticIdentity local;
    private final NoisePublicKey remoteStatic;
    private final Handshake handshake;
    private final CookieGenerator cookies;
    private final SecureRandom random;
    private boolean initiationConsumedByDevice;

    public NoiseHandshaker(StaticIdentity local, NoisePublicKey remoteStatic, PresharedKey psk, SecureRandom random) {
        this.local = local;
        this.remoteStatic = remoteStatic;
        this.handshake = new Handshake(local, remoteStatic, psk);
        this.cookies = new CookieGenerator(remoteStatic);
        this.random = random;
    }

    @Override
    public ByteBuffer createInitiation(int localIndex, long now, long wallNanos) {
        MessageInitiation msg = cookies.addMacs(handshake.createInitiation(wallNanos, localIndex, random), now);
        return ByteBuffer.wrap(msg.encode());
    }

    @Override
    public boolean canInitiate() {
        return handshake.canHandshake();
    }

    @Override
    public Outcome consume(ByteBuffer datagram, int localIndex, long now) {
        int type = datagram.remaining() > 0 ? datagram.get(datagram.position()) : -1;
        return switch (type) {
            case Constants.MESSAGE_HANDSHAKE_INITIATION -> consumeInitiation(datagram, localIndex, now);
            case Constants.MESSAGE_HANDSHAKE_RESPONSE -> consumeResponse(datagram);
            case Constants.MESSAGE_HANDSHAKE_COOKIE -> consumeCookie(datagram, now);
            default -> new Rejected(DropReason.UNKNOWN_MESSAGE_TYPE);
        };
    }

    /** The handshake state, for the device's initiation lookup ({@link Device}). */
    Handshake handshake() {
        return handshake;
    }

    /** The device already consumed the next initiation into {@link #handshake()} (it had to, to find the peer). */
    void initiationConsumedByDevice() {
        initiationConsumedByDevice = true;
    }

    private Outcome consumeInitiation(ByteBuffer datagram, int localIndex, long now) {
        if (initiationConsumedByDevice) {
            initiationConsumedByDevice = false;
            return respond(localIndex, now);
        }
        Parsed<MessageInitiation> parsed = MessageInitiation.parse(datagram);
        if (parsed instanceof Parsed.Drop<MessageInitiation> d) {
            return parseDrop(d.reason());
        }
        MessageInitiation msg = parsed.messageOrNull();
        ConsumedInitiation consumed = Handshake.consumeInitiation(local, msg,
                key -> key.equals(remoteStatic) ? handshake : null, now);
        if (!(consumed instanceof ConsumedInitiation.Ok)) {
            return new Rejected(DropReason.HANDSHAKE_REJECTED);
        }
        return respond(localIndex, now);
    }

    private Outcome respond(int localIndex, long now) {
        MessageResponse response = cookies.addMacs(handshake.createResponse(localIndex, random), now);
        return new Established(handshake.beginSymmetricSession(), ByteBuffer.wrap(response.encode()));
    }

    private Outcome consumeResponse(ByteBuffer datagram) {
        Parsed<MessageResponse> parsed = MessageResponse.parse(datagram);
        if (parsed instanceof Parsed.Drop<MessageResponse> d) {
            return parseDrop(d.reason());
        }
        if (!(handshake.consumeResponse(parsed.messageOrNull()) instanceof ConsumedResponse.Ok)) {
            return new Rejected(DropReason.HANDSHAKE_REJECTED);
        }
        return new Established(handshake.beginSymmetricSession(), null);
    }

    private Outcome consumeCookie(ByteBuffer datagram, long now) {
        Parsed<MessageCookieReply> parsed = MessageCookieReply.parse(datagram);
        if (parsed instanceof Parsed.Drop<MessageCookieReply> d) {
            return parseDrop(d.reason());
        }
        return cookies.consumeReply(parsed.messageOrNull(), now) == CookieGenerator.ReplyOutcome.ACCEPTED
                ? new CookieAccepted() : new Rejected(DropReason.HANDSHAKE_REJECTED);
    }

    private static Outcome parseDrop(ParseDrop reason) {
        return new Rejected(switch (reason) {
            case TRUNCATED, WRONG_SIZE -> DropReason.MESSAGE_TRUNCATED;
            case UNKNOWN_TYPE, WRONG_TYPE, RESERVED_NONZERO -> DropReason.UNKNOWN_MESSAGE_TYPE;
        });
    }

    @Override
    public void clear() {
        handshake.clear();
    }
}
