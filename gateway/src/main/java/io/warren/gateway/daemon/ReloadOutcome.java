package io.warren.gateway.daemon;

import java.util.List;

/**
 * The result of a reload.
 *
 * @param applied  true when the new configuration is now running
 * @param messages what changed (when applied) or why nothing did (every config error, with file,
 *                 line, key and reason)
 */
public record ReloadOutcome(boolean applied, List<String> messages) {
    public ReloadOutcome {
        messages = List.copyOf(messages);
    }
}
