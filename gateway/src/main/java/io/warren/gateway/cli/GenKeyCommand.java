package io.warren.gateway.cli;

import io.warren.gateway.config.WgKey;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code warren genkey}: like {@code wg genkey}. */
@Command(name = "genkey", description = {
    "Print a new WireGuard private key (base64, clamped X25519), like 'wg genkey'.",
    "Use: umask 077; warren genkey > /etc/warren/wg0.key"})
final class GenKeyCommand implements Callable<Integer> {
    private final CliEnvironment env;

    GenKeyCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        env.out().println(WgKey.generatePrivate(env.random()).toBase64());
        env.out().flush();
        return ExitCodes.OK;
    }
}
