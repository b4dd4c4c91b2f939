package io.warren.gateway.control;

import java.util.List;

/**
 * The result of a reload as the control socket reports it.
 *
 * @param applied  true when the new configuration is running
 * @param messages what changed, or every config error (file:line: key: reason) when refused
 */
public record ReloadReport(boolean applied, List<String> messages) {
    public ReloadReport {
        messages = List.copyOf(messages);
    }
}
