package io.warren.gateway.config;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of parsing: a config when there were no errors, plus every problem (warnings may
 * accompany a valid config).
 *
 * @param config   the config, present only if no problem is an error
 * @param problems errors and warnings in line order
 */
public record ConfigResult(Optional<WarrenConfig> config, List<ConfigError> problems) {

    public ConfigResult {
        problems = List.copyOf(problems);
    }

    /** True if the config loaded. */
    public boolean isValid() {
        return config.isPresent();
    }

    /** Only the warnings. */
    public List<ConfigError> warnings() {
        return problems.stream().filter(p -> !p.isError()).toList();
    }

    /** Only the errors. */
    public List<ConfigError> errors() {
        return problems.stream().filter(ConfigError::isError).toList();
    }

    /** The config, or a {@link BadConfigException} listing every problem. */
    public WarrenConfig orThrow() throws BadConfigException {
        if (config.isEmpty()) {
            throw new BadConfigException(problems);
        }
        return config.get();
    }
}
