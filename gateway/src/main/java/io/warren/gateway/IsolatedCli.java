package io.warren.gateway;

import io.warren.gateway.cli.CliEnvironment;
import io.warren.gateway.cli.ControlClient;
import io.warren.gateway.cli.ControlException;
import io.warren.gateway.cli.ControlTransport;
import io.warren.gateway.cli.Daemon;
import io.warren.gateway.cli.ExitCodes;
import io.warren.gateway.isolation.ChildFirstLoader;
import java.lang.reflect.Method;
import java.util.Set;

/**
 * Runs {@code WarrenCli.execute} with picocli and the command classes in a {@link ChildFirstLoader}
 * of their own (~190 classes, ~1 MiB of metaspace plus reflection data the daemon never needs once
 * its command line is parsed). The types the rest of the gateway shares with the command line (the
 * environment, the daemon and control interfaces, exit codes) stay the application loader's.
 */
final class IsolatedCli {
    private static final String CLI_PACKAGE = "io.warren.gateway.cli.";
    private static final String ENTRY = CLI_PACKAGE + "WarrenCli";
    /** Referred to from outside the command line: one class for both sides. */
    private static final Set<String> SHARED = Set.of(CliEnvironment.class.getName(), Daemon.class.getName(),
            ControlTransport.class.getName(), ControlClient.class.getName(), ControlException.class.getName(),
            ExitCodes.class.getName());

    private IsolatedCli() {
    }

    /** {@code WarrenCli.execute(env, args)} in a fresh loader; the loader is garbage once this returns. */
    static int execute(CliEnvironment env, String[] args) {
        ChildFirstLoader loader = new ChildFirstLoader("warren-cli", IsolatedCli.class.getClassLoader(), IsolatedCli::isolated);
        Method execute = loader.method(ENTRY, "execute", CliEnvironment.class, String[].class);
        return (Integer) ChildFirstLoader.invokeStatic(execute, env, args);
    }

    /** picocli and the command classes, but not the types shared with the daemon. */
    static boolean isolated(String name) {
        if (name.startsWith("picocli.")) {
            return true;
        }
        return name.startsWith(CLI_PACKAGE) && name.indexOf('.', CLI_PACKAGE.length()) < 0
                && !SHARED.contains(ChildFirstLoader.topLevel(name));
    }
}
