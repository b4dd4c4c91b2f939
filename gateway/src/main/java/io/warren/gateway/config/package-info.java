/**
 * The appliance's configuration: the {@code /etc/warren/warren.toml} schema, its validating parser,
 * and the reload diff.
 *
 * <p>Format: TOML, read with tomlj. Admins already write TOML-shaped INI for wg-quick and systemd;
 * TOML has no indentation traps (unlike YAML); and tomlj reports the line and column of every key,
 * so every error can name file, line, key and reason, e.g.
 * {@code warren.toml:14: peer "laptop".allowed-ips: "10.0.0.300/32" is not an IP prefix}.
 *
 * <p>Flow: {@link io.warren.gateway.config.ConfigParser} turns text into an immutable
 * {@link io.warren.gateway.config.WarrenConfig} or a list of every problem found
 * ({@link io.warren.gateway.config.ConfigError}); nothing starts until the whole file validates.
 * {@link io.warren.gateway.config.ConfigDiff#between} compares two validated configs so a reload
 * touches only what changed. The parser is sans-I/O except for key files, which it reads through
 * {@link io.warren.gateway.config.SecretFiles} (tests pass a fake); {@link io.warren.gateway.config.ConfigLoader}
 * is the thin shell that reads the config file itself.
 *
 * <p>Threading: the parser is single-use and single-threaded; every model record is immutable and
 * safe to share between threads. Secrets: {@link io.warren.gateway.config.WgKey} never prints its
 * bytes in {@code toString()} and compares in constant time; error messages never contain key material.
 */
package io.warren.gateway.config;
