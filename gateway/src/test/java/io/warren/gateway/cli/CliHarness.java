package io.warren.gateway.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/** Runs {@code warren} in-process with captured stdin/stdout/stderr. */
final class CliHarness {
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    private final CliEnvironment env;

    CliHarness(String stdin, SecureRandom random, Daemon daemon, ControlTransport control) {
        env = new CliEnvironment(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.US_ASCII)),
                new PrintWriter(out, true), new PrintWriter(err, true), random, daemon, control);
    }

    CliHarness() {
        this("", new SecureRandom(), Daemon.DRY_RUN, ControlTransport.UNWIRED);
    }

    static CliHarness withStdin(String stdin) {
        return new CliHarness(stdin, new SecureRandom(), Daemon.DRY_RUN, ControlTransport.UNWIRED);
    }

    int run(String... args) {
        return WarrenCli.execute(env, args);
    }

    CliEnvironment env() {
        return env;
    }

    /** A SecureRandom that fills every buffer with one byte value: deterministic key tests. */
    static SecureRandom constant(int b) {
        return new SecureRandom() {
            private static final long serialVersionUID = 1L;

            @Override
            public void nextBytes(byte[] bytes) {
                java.util.Arrays.fill(bytes, (byte) b);
            }
        };
    }
}
