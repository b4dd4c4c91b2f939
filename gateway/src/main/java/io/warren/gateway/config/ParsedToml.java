package io.warren.gateway.config;

import java.util.List;
import java.util.Objects;

/**
 * What {@link io.warren.gateway.config.toml.TomlReader} read: the root table, or the syntax errors
 * (then {@code root} is null). Only JDK and Warren types, so nothing of tomlj outlives the read.
 */
public record ParsedToml(ConfigTable root, List<SyntaxError> errors) {
    public ParsedToml {
        errors = List.copyOf(errors);
        if ((root == null) == errors.isEmpty()) {
            throw new IllegalArgumentException("either a root table or syntax errors");
        }
    }

    /** A TOML syntax error at 1-based {@code line} (0 if unknown), in tomlj's words. */
    public record SyntaxError(int line, String message) {
        public SyntaxError {
            Objects.requireNonNull(message, "message");
        }
    }
}
