package io.warren.gateway;

import io.warren.gateway.cli.Daemon;
import io.warren.gateway.cli.ExitCodes;
import io.warren.gateway.config.WarrenConfig;
import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * The daemon {@code warren run} hands its validated config to from inside the isolated command line:
 * it only records the request, and {@link Main} starts the real daemon with it after the command has
 * returned (so the command line's loader can be unloaded while the daemon runs).
 */
final class DeferredRun implements Daemon {
    private WarrenConfig config;
    private Path configFile;
    private PrintWriter out;

    @Override
    public int run(WarrenConfig config, Path configFile, PrintWriter out) {
        this.config = config;
        this.configFile = configFile;
        this.out = out;
        return ExitCodes.OK;
    }

    /** Whether {@code warren run} validated a config and asked for the daemon. */
    boolean requested() {
        return config != null;
    }

    /** Runs {@code daemon} with the recorded request until it stops; its exit code. */
    int start(Daemon daemon) {
        if (!requested()) {
            throw new IllegalStateException("no run was requested");
        }
        int code = daemon.run(config, configFile, out);
        out.flush();
        return code;
    }
}
