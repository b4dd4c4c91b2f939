package io.warren.gateway.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code warren status}: ask the running daemon for its state. */
@Command(name = "status", description = "Show interfaces, peers, tunnels and DHCP leases of the running daemon.")
final class StatusCommand implements Callable<Integer> {
    private final CliEnvironment env;

    @Mixin
    ControlCall control = new ControlCall();

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    StatusCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        return control.run(env, "status", c -> c.status(json));
    }
}
