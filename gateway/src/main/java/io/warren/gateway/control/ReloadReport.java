package io.warren.gateway.control;

import java.util.List;

/**
 * The result of a reload as the control socket reports it.
 *
 * @param applied  true when the whole new configuration is running
 * @param kept     true when nothing of it was applied: the file was refused (config errors, or
 *                 settings this machine cannot run) and the running configuration is unchanged; false
 *                 with {@code applied} false means the rest applied but some parts did not (each named)
 * @param messages what changed, or every error (file:line: key: reason)
 */
public record ReloadReport(boolean applied, boolean kept, List<String> messages) {
    public ReloadReport {
        messages = List.copyOf(messages);
        if (applied && kept) {
            throw new IllegalArgumentException("a reload cannot be both applied and refused");
        }
    }

    /** Applied, or refused as a whole. */
    public ReloadReport(boolean applied, List<String> messages) {
        this(applied, !applied, messages);
    }
}
