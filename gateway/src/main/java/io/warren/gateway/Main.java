package io.warren.gateway;

import io.warren.gateway.cli.CliEnvironment;
import io.warren.gateway.cli.WarrenCli;
import io.warren.gateway.control.SocketControlTransport;
import io.warren.gateway.daemon.WarrenDaemon;
import io.warren.gateway.log.LogSetup;
import java.util.logging.Level;

/**
 * The packaged entry point of {@code /usr/bin/warren}: the CLI with the real daemon and the control
 * socket client wired in.
 * (The {@code cli} package only knows the {@link io.warren.gateway.cli.Daemon} interface, so that
 * its commands are tested without starting anything.)
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        LogSetup.configure(Level.INFO);
        CliEnvironment env = CliEnvironment.system().withDaemon(WarrenDaemon.standard())
                .withControl(new SocketControlTransport());
        System.exit(WarrenCli.execute(env, args));
    }
}
