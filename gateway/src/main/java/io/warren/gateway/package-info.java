/**
 * Warren's daemon and command line. {@link io.warren.gateway.Main} assembles them: the CLI
 * ({@code cli}) runs the daemon ({@code daemon}), which starts services built from the encapsulations
 * ({@code encap}), the WireGuard transport ({@code transport}), the UAPI ({@code uapi}), DHCP
 * ({@code dhcp}), DNS ({@code dns}), metrics and systemd integration; configuration is {@code config}.
 */
package io.warren.gateway;
