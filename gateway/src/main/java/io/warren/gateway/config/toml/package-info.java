/**
 * The only code that touches tomlj: {@link io.warren.gateway.config.toml.TomlReader} turns TOML text
 * into the plain tree of {@link io.warren.gateway.config.ConfigTable}. It is loaded, with tomlj, in a
 * class loader of its own per read ({@code IsolatedToml}), so that a running daemon does not keep the
 * TOML parser's classes and data after start-up and after each reload (issue #9).
 */
package io.warren.gateway.config.toml;
