package io.warren.gateway.dhcp;

import java.util.List;

/** What {@link DhcpServerCore#handle} decided; the shell sends, journals and counts. */
public sealed interface DhcpOutcome {

    /** Lease changes to journal before the reply goes out. */
    List<LeaseChange> changes();

    /** Send {@code message} to {@code destination}. */
    record Reply(DhcpMessage message, DhcpDestination destination, List<LeaseChange> changes) implements DhcpOutcome {
        public Reply {
            changes = List.copyOf(changes);
        }
    }

    /** Send nothing. */
    record NoReply(DhcpNoReplyReason reason, List<LeaseChange> changes) implements DhcpOutcome {
        public NoReply {
            changes = List.copyOf(changes);
        }
    }
}
