package io.warren.gateway.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * Everything a command touches outside itself, so tests can run commands in-process.
 *
 * @param in      standard input ({@code pubkey} reads a key from it)
 * @param out     standard output
 * @param err     standard error (messages, never secrets)
 * @param random  source for {@code genkey}/{@code genpsk}
 * @param daemon  what {@code run} starts
 * @param control how {@code status}, {@code reload} and {@code client add} reach the daemon
 */
public record CliEnvironment(InputStream in, PrintWriter out, PrintWriter err, SecureRandom random,
                             Daemon daemon, ControlTransport control) {

    /** The real process: System streams, a strong SecureRandom, unwired daemon and control. */
    public static CliEnvironment system() {
        return new CliEnvironment(System.in,
                new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true),
                new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true),
                new SecureRandom(), Daemon.DRY_RUN, ControlTransport.UNWIRED);
    }

    /** A copy with another daemon (the lead wires the real one here). */
    public CliEnvironment withDaemon(Daemon d) {
        return new CliEnvironment(in, out, err, random, d, control);
    }

    /** A copy with another control transport. */
    public CliEnvironment withControl(ControlTransport c) {
        return new CliEnvironment(in, out, err, random, daemon, c);
    }
}
