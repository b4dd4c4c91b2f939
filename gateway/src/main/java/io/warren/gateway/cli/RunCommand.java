package io.warren.gateway.cli;

import io.warren.gateway.config.ConfigResult;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code warren run}: validate the config, then hand it to the daemon (the systemd unit's ExecStart). */
@Command(name = "run", description = "Validate the config and run the gateway in the foreground.")
final class RunCommand implements Callable<Integer> {
    private final CliEnvironment env;

    @Mixin
    ConfigOption config = new ConfigOption();

    RunCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        ConfigResult r = config.load(env.err());
        if (!r.isValid()) {
            env.err().println("warren: not starting: " + config.file + " has " + r.errors().size() + " error(s)");
            env.err().flush();
            return ExitCodes.INVALID;
        }
        int code = env.daemon().run(r.config().get(), config.file, env.out());
        env.out().flush();
        return code;
    }
}
