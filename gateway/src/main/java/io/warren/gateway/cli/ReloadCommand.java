package io.warren.gateway.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code warren reload}: make the running daemon re-read its config and apply only what changed. */
@Command(name = "reload", description = {
    "Make the running daemon re-read its config and apply only the difference.",
    "Run 'warren check' first: an invalid file is refused and the old config stays."})
final class ReloadCommand implements Callable<Integer> {
    private final CliEnvironment env;

    @Mixin
    ControlCall control = new ControlCall();

    ReloadCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        return control.run(env, "reload", ControlClient::reload);
    }
}
