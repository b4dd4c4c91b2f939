package io.warren.gateway.cli;

import io.warren.gateway.config.WarrenConfig;
import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * What {@code warren run} hands a validated config to. The real implementation (wired by the
 * gateway's main assembly) blocks until shutdown; {@link #DRY_RUN} only reports what it would start.
 */
@FunctionalInterface
public interface Daemon {

    /**
     * Runs the gateway with {@code config}, read from {@code configFile} (reloads re-read that file).
     *
     * @param out where to report start-up progress
     * @return the process exit code (see {@link ExitCodes})
     */
    int run(WarrenConfig config, Path configFile, PrintWriter out);

    /** Placeholder until the daemon is wired: says what would start and exits 0. */
    Daemon DRY_RUN = (config, file, out) -> {
        out.println("warren: " + file + " is valid; would start " + Summary.of(config)
                + " (daemon not wired in this build)");
        return ExitCodes.OK;
    };
}
