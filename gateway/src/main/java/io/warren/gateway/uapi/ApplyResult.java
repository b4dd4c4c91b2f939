package io.warren.gateway.uapi;

import java.util.Objects;

/** What {@link UapiDevice#apply} answers: everything applied, or nothing and why. */
public sealed interface ApplyResult {

    /** The whole change is in effect. */
    record Applied() implements ApplyResult {
    }

    /**
     * Nothing was changed.
     *
     * @param errno a positive {@link UapiErrno} value, e.g. {@link UapiErrno#EADDRINUSE}
     * @param reason for the log; never contains key material
     */
    record Rejected(int errno, String reason) implements ApplyResult {
        public Rejected {
            if (errno <= 0) {
                throw new IllegalArgumentException("errno must be positive: " + errno);
            }
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** The shared success value. */
    ApplyResult APPLIED = new Applied();
}
