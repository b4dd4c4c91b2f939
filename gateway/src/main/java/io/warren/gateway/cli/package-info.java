/**
 * The {@code warren} command line (picocli): {@code run}, {@code check}, {@code genkey},
 * {@code pubkey}, {@code genpsk}, {@code status}, {@code reload}, {@code client add}.
 *
 * <p>A thin shell: config work goes to {@link io.warren.gateway.config}, starting the daemon goes
 * through {@link io.warren.gateway.cli.Daemon}, and talking to a running daemon goes through
 * {@link io.warren.gateway.cli.ControlTransport}; both are injected via
 * {@link io.warren.gateway.cli.CliEnvironment} so tests run every command in-process with captured
 * output and never call {@code System.exit}. Exit codes are listed in {@link io.warren.gateway.cli.ExitCodes}.
 *
 * <p>Threading: one command runs on the calling thread and returns; nothing here is shared.
 * Secrets: private keys are written only to stdout by {@code genkey}/{@code genpsk} and never to
 * stderr or logs.
 */
package io.warren.gateway.cli;
