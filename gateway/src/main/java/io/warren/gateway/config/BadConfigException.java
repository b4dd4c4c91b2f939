package io.warren.gateway.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown when a config file does not validate. Carries every problem found, not just the first,
 * in the style of wireguard-android's {@code BadConfigException(section, location, reason)}.
 */
public final class BadConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient List<ConfigError> problems;

    public BadConfigException(List<ConfigError> problems) {
        super(problems.stream().map(ConfigError::format).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    /** Every error and warning, in file order. */
    public List<ConfigError> problems() {
        return problems;
    }

    /** Only the problems that block loading. */
    public List<ConfigError> errors() {
        return problems.stream().filter(ConfigError::isError).toList();
    }
}
