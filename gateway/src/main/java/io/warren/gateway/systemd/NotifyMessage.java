package io.warren.gateway.systemd;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code sd_notify(3)} message: newline-separated {@code KEY=VALUE} assignments.
 *
 * <p>Service states used by Warren's {@code Type=notify} unit: {@code READY=1} once every interface
 * and tunnel of the configuration is up; {@code RELOADING=1} with {@code MONOTONIC_USEC} when a reload
 * starts and {@code READY=1} when it ends (systemd 253 needs the timestamp for
 * {@code Type=notify-reload}; older versions ignore it); {@code STOPPING=1} at shutdown;
 * {@code STATUS=} a one-line human summary shown by {@code systemctl status}.
 */
public final class NotifyMessage {
    private final List<String> assignments;

    private NotifyMessage(List<String> assignments) {
        this.assignments = List.copyOf(assignments);
    }

    public static NotifyMessage ready(String status) {
        return builder().set("READY", "1").status(status).build();
    }

    public static NotifyMessage reloading(long monotonicMicros, String status) {
        return builder().set("RELOADING", "1").set("MONOTONIC_USEC", Long.toString(monotonicMicros))
                .status(status).build();
    }

    public static NotifyMessage stopping(String status) {
        return builder().set("STOPPING", "1").status(status).build();
    }

    public static NotifyMessage status(String status) {
        return builder().status(status).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<String> assignments() {
        return assignments;
    }

    /** The datagram payload. */
    public byte[] encode() {
        return String.join("\n", assignments).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return String.join(" ", assignments);
    }

    /** Builds a message; values are made single-line because a newline would start a new assignment. */
    public static final class Builder {
        private final List<String> assignments = new ArrayList<>();

        public Builder set(String key, String value) {
            if (key.isEmpty() || key.indexOf('=') >= 0 || key.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("bad sd_notify key: " + key);
            }
            assignments.add(key + "=" + value.replace('\n', ' '));
            return this;
        }

        public Builder status(String status) {
            return status == null || status.isEmpty() ? this : set("STATUS", status);
        }

        public NotifyMessage build() {
            return new NotifyMessage(assignments);
        }
    }
}
