package io.warren.gateway.cli;

import io.warren.gateway.config.ConfigError;
import io.warren.gateway.config.ConfigLoader;
import io.warren.gateway.config.ConfigResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --config FILE} option shared by {@code run} and {@code check}, and loading with diagnostics. */
final class ConfigOption {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Config file (default: ${DEFAULT-VALUE}).")
    Path file = ConfigLoader.DEFAULT_PATH;

    /** Loads the file and prints every problem (errors and warnings) to {@code err}. */
    ConfigResult load(PrintWriter err) {
        ConfigResult r = ConfigLoader.load(file);
        for (ConfigError p : r.problems()) {
            err.println(p.format());
        }
        err.flush();
        return r;
    }
}
