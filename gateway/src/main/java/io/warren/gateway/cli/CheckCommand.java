package io.warren.gateway.cli;

import io.warren.gateway.config.ConfigResult;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code warren check}: validate the config without starting anything. */
@Command(name = "check", description = {
    "Validate the config file: every problem is printed as FILE:LINE: KEY: REASON.",
    "Exits 1 if there is any error, 0 (with a summary) if the config would load."})
final class CheckCommand implements Callable<Integer> {
    private final CliEnvironment env;

    @Mixin
    ConfigOption config = new ConfigOption();

    CheckCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        ConfigResult r = config.load(env.err());
        if (!r.isValid()) {
            env.err().println(config.file + ": " + r.errors().size() + " error(s), " + r.warnings().size() + " warning(s)");
            env.err().flush();
            return ExitCodes.INVALID;
        }
        env.out().println(config.file + ": OK: " + Summary.of(r.config().get())
                + (r.warnings().isEmpty() ? "" : ", " + r.warnings().size() + " warning(s)"));
        env.out().flush();
        return ExitCodes.OK;
    }
}
