package io.warren.crypto.noise;

/**
 * The result of parsing a datagram: {@link Ok} with the message, or {@link Drop} with a countable
 * {@link ParseDrop reason}. Parsers never throw on bad input.
 *
 * @param <M> the message type
 */
public sealed interface Parsed<M> permits Parsed.Ok, Parsed.Drop {

    /** The datagram is a well-formed message. */
    record Ok<M>(M message) implements Parsed<M> {
    }

    /** The datagram was rejected. */
    record Drop<M>(ParseDrop reason) implements Parsed<M> {
    }

    /** Convenience for callers that only count: the message, or {@code null} for a drop. */
    default M messageOrNull() {
        return this instanceof Ok<M> ok ? ok.message() : null;
    }
}
