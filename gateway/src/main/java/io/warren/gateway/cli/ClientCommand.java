package io.warren.gateway.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code warren client}: manage remote-access clients. Only {@code add} for now. */
@Command(name = "client", description = "Manage remote-access clients.")
final class ClientCommand implements Callable<Integer> {
    private final CliEnvironment env;

    ClientCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        env.err().println("warren client: give a subcommand, e.g. 'warren client add NAME'");
        env.err().flush();
        return ExitCodes.USAGE;
    }

    /** {@code warren client add NAME}. */
    @Command(name = "add", description = {
        "Add a client peer to the running daemon and print its wg-quick config.",
        "The daemon generates the client's key pair and picks its address."})
    static final class Add implements Callable<Integer> {
        private final CliEnvironment env;

        @Mixin
        ControlCall control = new ControlCall();

        @Parameters(paramLabel = "NAME", description = "Client name (one DNS label, e.g. alice-laptop).")
        String name;

        @Option(names = {"-i", "--interface"}, paramLabel = "IFACE", description = "WireGuard interface (default: the first).")
        String iface;

        @Option(names = {"-e", "--endpoint"}, paramLabel = "HOST[:PORT]", description = {
            "The gateway's public address as clients reach it (default: [interface.IF] public-endpoint).",
            "PORT defaults to the interface's listen port."})
        String endpoint;

        @Option(names = "--allowed-ips", split = ",", paramLabel = "PREFIX",
                description = "What the client routes into the tunnel (default: the gateway's networks).")
        java.util.List<String> allowedIps = new java.util.ArrayList<>();

        Add(CliEnvironment env) {
            this.env = env;
        }

        @Override
        public Integer call() {
            if (!name.matches("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?")) {
                env.err().println("warren client add: \"" + name + "\" is not a valid name (letters, digits, '-')");
                env.err().flush();
                return ExitCodes.INVALID;
            }
            return control.run(env, "client add", c -> endpoint == null && allowedIps.isEmpty()
                    ? c.addClient(name, iface) : c.addClient(name, iface, endpoint, allowedIps));
        }
    }
}
