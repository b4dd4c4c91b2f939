package io.warren.gateway.cli;

import io.warren.gateway.config.WgKey;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code warren genpsk}: like {@code wg genpsk}. */
@Command(name = "genpsk", description = "Print a new random preshared key (base64, 32 bytes), like 'wg genpsk'.")
final class GenPskCommand implements Callable<Integer> {
    private final CliEnvironment env;

    GenPskCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        env.out().println(WgKey.generatePreshared(env.random()).toBase64());
        env.out().flush();
        return ExitCodes.OK;
    }
}
