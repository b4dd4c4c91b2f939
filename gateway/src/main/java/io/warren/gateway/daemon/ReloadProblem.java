package io.warren.gateway.daemon;

import io.warren.gateway.config.ConfigError;
import io.warren.gateway.config.ConfigLoader;
import java.nio.file.Path;
import java.util.List;

/**
 * Why a service cannot run part of a reloaded config on this machine (an {@code mtu} the underlay
 * cannot carry, a tunnel that did not reopen), found by {@link Service#check} before anything changes
 * or by {@link Service#apply} ({@link ApplyFailure}). The daemon reports it like a config error, at
 * the key's line of the file.
 *
 * @param key    the TOML key path: section, name, then the key if known, e.g. {@code [tunnel, vx0, mtu]}
 * @param reason what is wrong
 */
public record ReloadProblem(List<String> key, String reason) {
    public ReloadProblem {
        key = List.copyOf(key);
        if (key.isEmpty()) {
            throw new IllegalArgumentException("a reload problem names at least its section");
        }
    }

    /** As a config error of {@code file}: {@code warren.toml:12: tunnel "vx0".mtu: reason}. */
    public ConfigError in(Path file) {
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        StringBuilder where = new StringBuilder(key.get(0));
        if (key.size() > 1) {
            where.append(" \"").append(key.get(1)).append('"');
        }
        for (String k : key.subList(Math.min(2, key.size()), key.size())) {
            where.append('.').append(k);
        }
        return new ConfigError(name, ConfigLoader.lineOf(file, key), where.toString(), reason,
                ConfigError.Severity.ERROR);
    }
}
