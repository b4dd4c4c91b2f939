package io.warren.gateway.config;

import java.util.Objects;

/**
 * One problem found in a config file: where it is (file, line, key) and why it is wrong.
 *
 * <p>Formatted like a compiler diagnostic so editors can jump to it:
 * {@code warren.toml:14: peer "laptop".allowed-ips: "10.0.0.300/32" is not an IP prefix}.
 *
 * @param file     the file name as given to the parser (usually the base name)
 * @param line     1-based line number; 0 when the problem concerns the whole file
 * @param location the section and key, e.g. {@code interface "wg0".listen-port}
 * @param reason   what is wrong, never containing key material
 * @param severity errors stop the config from loading, warnings do not
 */
public record ConfigError(String file, int line, String location, String reason, Severity severity) {

    /** Whether a problem blocks loading. */
    public enum Severity { ERROR, WARNING }

    public ConfigError {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(severity, "severity");
    }

    /** True for problems that block loading. */
    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** The one-line diagnostic: {@code file:line: [warning: ]location: reason}. */
    public String format() {
        StringBuilder sb = new StringBuilder(file);
        if (line > 0) {
            sb.append(':').append(line);
        }
        sb.append(": ");
        if (severity == Severity.WARNING) {
            sb.append("warning: ");
        }
        if (!location.isEmpty()) {
            sb.append(location).append(": ");
        }
        return sb.append(reason).toString();
    }

    @Override
    public String toString() {
        return format();
    }
}
