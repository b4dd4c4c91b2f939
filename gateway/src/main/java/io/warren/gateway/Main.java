package io.warren.gateway;

import io.warren.gateway.cli.CliEnvironment;
import io.warren.gateway.control.SocketControlTransport;
import io.warren.gateway.daemon.WarrenDaemon;
import io.warren.gateway.log.LogSetup;
import java.util.logging.Level;

/**
 * The packaged entry point of {@code /usr/bin/warren}: the CLI with the real daemon and the control
 * socket client wired in.
 * (The {@code cli} package only knows the {@link io.warren.gateway.cli.Daemon} interface, so that
 * its commands are tested without starting anything.)
 *
 * <p>The command line is parsed in a class loader of its own ({@link IsolatedCli}); {@code warren run}
 * only records the validated config ({@link DeferredRun}), and the daemon starts once the command
 * has returned, so that nothing refers to picocli's classes while the daemon runs (issue #9).
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        LogSetup.configure(Level.INFO);
        DeferredRun run = new DeferredRun();
        CliEnvironment env = CliEnvironment.system().withDaemon(run).withControl(new SocketControlTransport());
        int code = IsolatedCli.execute(env, args);
        if (run.requested()) {
            code = run.start(WarrenDaemon.standard());
        }
        System.exit(code);
    }
}
