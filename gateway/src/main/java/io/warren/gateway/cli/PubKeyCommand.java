package io.warren.gateway.cli;

import io.warren.gateway.config.WgKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code warren pubkey}: like {@code wg pubkey}. */
@Command(name = "pubkey", description = {
    "Read a private key on stdin and print its public key, like 'wg pubkey'.",
    "Use: warren pubkey < /etc/warren/wg0.key"})
final class PubKeyCommand implements Callable<Integer> {
    /** A key line is 44 characters; allow generous whitespace, refuse anything larger. */
    private static final int MAX_INPUT = 1024;

    private final CliEnvironment env;

    PubKeyCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        byte[] input;
        try {
            input = env.in().readNBytes(MAX_INPUT + 1);
        } catch (IOException e) {
            env.err().println("warren pubkey: cannot read stdin: " + e.getMessage());
            env.err().flush();
            return ExitCodes.IO;
        }
        Optional<WgKey> key = input.length > MAX_INPUT ? Optional.empty()
                : WgKey.parse(new String(input, StandardCharsets.US_ASCII));
        if (key.isEmpty()) {
            env.err().println("warren pubkey: stdin is not a WireGuard private key (44 base64 characters)");
            env.err().flush();
            return ExitCodes.INVALID;
        }
        env.out().println(key.get().publicKey().toBase64());
        env.out().flush();
        return ExitCodes.OK;
    }
}
