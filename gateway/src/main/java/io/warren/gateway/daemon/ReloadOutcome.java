package io.warren.gateway.daemon;

import java.util.List;

/**
 * The result of a reload.
 *
 * @param applied  true when the whole new configuration is now running
 * @param kept     true when nothing was applied and the running configuration is unchanged (the file
 *                 was refused); false with {@code applied} false: the rest applied, some parts did not
 * @param messages what changed, or why (every error, with file, line, key and reason)
 */
public record ReloadOutcome(boolean applied, boolean kept, List<String> messages) {
    public ReloadOutcome {
        messages = List.copyOf(messages);
        if (applied && kept) {
            throw new IllegalArgumentException("a reload cannot be both applied and refused");
        }
    }

    /** Applied, or refused as a whole. */
    public ReloadOutcome(boolean applied, List<String> messages) {
        this(applied, !applied, messages);
    }
}
