package io.warren.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.gateway.cli.CliEnvironment;
import io.warren.gateway.cli.ControlException;
import io.warren.gateway.cli.ControlTransport;
import io.warren.gateway.cli.Daemon;
import io.warren.gateway.cli.ExitCodes;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IsolatedCliTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private CliEnvironment env(Daemon daemon, ControlTransport control) {
        return new CliEnvironment(new ByteArrayInputStream(new byte[0]), new PrintWriter(out, true),
                new PrintWriter(err, true), new SecureRandom(), daemon, control);
    }

    @Test
    void picocliAndTheCommandsAreIsolatedButTheSharedTypesAreNot() {
        assertTrue(IsolatedCli.isolated("picocli.CommandLine$Model$CommandSpec"));
        assertTrue(IsolatedCli.isolated("io.warren.gateway.cli.RunCommand"));
        assertTrue(IsolatedCli.isolated("io.warren.gateway.cli.WarrenCli$Version"));
        assertFalse(IsolatedCli.isolated(CliEnvironment.class.getName()));
        assertFalse(IsolatedCli.isolated(ControlException.class.getName()));
        assertFalse(IsolatedCli.isolated("io.warren.gateway.config.ConfigLoader"));
    }

    @Test
    void runsTheCommandLine() {
        assertEquals(ExitCodes.OK, IsolatedCli.execute(env(Daemon.DRY_RUN, ControlTransport.UNWIRED), new String[] {"--version"}));
        assertTrue(out.toString().startsWith("warren "), out.toString());
        assertEquals(ExitCodes.USAGE, IsolatedCli.execute(env(Daemon.DRY_RUN, ControlTransport.UNWIRED), new String[] {"bogus"}));
    }

    @Test
    void theCommandLinesLoaderIsGarbageOnceItReturns() throws InterruptedException {
        Class<?>[] caller = new Class<?>[1];
        ControlTransport control = socket -> {
            caller[0] = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
                    .walk(s -> s.filter(f -> f.getClassName().equals("io.warren.gateway.cli.ControlCall"))
                            .findFirst().orElseThrow().getDeclaringClass());
            throw new ControlException("no daemon here");
        };
        int code = IsolatedCli.execute(env(Daemon.DRY_RUN, control), new String[] {"status", "--socket", "/nonexistent"});
        assertEquals(ExitCodes.UNAVAILABLE, code);
        assertNotNull(caller[0]);
        assertNotSame(getClass().getClassLoader(), caller[0].getClassLoader(), "the command ran in its own loader");
        WeakReference<ClassLoader> loader = new WeakReference<>(caller[0].getClassLoader());
        caller[0] = null;
        for (int i = 0; i < 200 && loader.get() != null; i++) { // a JIT compilation in flight holds it a while
            System.gc();
            Thread.sleep(50);
        }
        assertNull(loader.get(), "nothing keeps the command line's loader");
    }

    @Test
    void runOnlyRecordsTheConfigAndTheDaemonStartsAfterTheCommandReturned(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("wg0.key");
        Files.writeString(key, "wK3EJPcxao7yQv3OKzQAmk9WKxxinyn+fKgKba6UlWg=\n");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        Path cfg = dir.resolve("warren.toml");
        Files.writeString(cfg, "[interface.wg0]\nprivate-key-file = \"wg0.key\"\nlisten-port = 51820\n");
        DeferredRun run = new DeferredRun();
        assertThrows(IllegalStateException.class, () -> run.start(Daemon.DRY_RUN));
        assertEquals(ExitCodes.OK, IsolatedCli.execute(env(run, ControlTransport.UNWIRED), new String[] {"run", "-c", cfg.toString()}));
        assertTrue(run.requested());
        List<Path> started = new ArrayList<>();
        Daemon daemon = (config, file, o) -> {
            started.add(file);
            assertEquals(51820, config.interfaces().get("wg0").listenPort());
            return ExitCodes.IO;
        };
        assertEquals(ExitCodes.IO, run.start(daemon), "the daemon's exit code");
        assertEquals(List.of(cfg), started);
    }
}
