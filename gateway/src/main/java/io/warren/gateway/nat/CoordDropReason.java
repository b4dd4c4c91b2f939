package io.warren.gateway.nat;

/** Why a coordination message was ignored (counted, never thrown). */
public enum CoordDropReason {
    /** For the coordination port but not a well-formed message. */
    MALFORMED,
    /** An introduction from a peer that is not one of our hubs: forged, a spoke learns only from its hub. */
    NOT_FROM_HUB,
    /** A sequence number not above the last one accepted from that sender: a replay. */
    REPLAYED,
    /** An introduction of ourselves or of a hub: nothing to punch. */
    ABOUT_SELF_OR_HUB,
    /** A message type this side does not take (an introduction sent to a hub). */
    UNEXPECTED,
    /**
     * The queue between the interface's receive thread and the timer thread was full, or the sender
     * already had its share of it waiting ({@link CoordInbox}).
     */
    QUEUE_FULL
}
