package io.warren.gateway.cli;

import io.warren.gateway.config.ControlConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --socket} option and the connect-ask-print routine shared by the daemon-facing commands. */
final class ControlCall {
    @Option(names = "--socket", paramLabel = "PATH",
            description = "Control socket of the running daemon (default: ${DEFAULT-VALUE}).")
    Path socket = ControlConfig.DEFAULT_SOCKET;

    /** One request to the daemon. */
    @FunctionalInterface
    interface Request {
        String send(ControlClient client) throws ControlException;
    }

    /**
     * Connects, sends, prints the reply; a failure prints its message and exits with its code
     * ({@link ExitCodes#UNAVAILABLE} for an unreachable daemon, {@link ExitCodes#INVALID} when refused).
     */
    int run(CliEnvironment env, String command, Request request) {
        try (ControlClient client = env.control().connect(socket)) {
            String reply = request.send(client);
            env.out().print(reply.endsWith("\n") ? reply : reply + "\n");
            env.out().flush();
            return ExitCodes.OK;
        } catch (ControlException e) {
            env.err().println("warren " + command + ": " + e.getMessage());
            env.err().flush();
            return e.exitCode();
        }
    }
}
