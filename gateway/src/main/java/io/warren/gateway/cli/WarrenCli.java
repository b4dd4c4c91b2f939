package io.warren.gateway.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code warren} command. {@link #main} is the packaged entry point; {@link #execute} runs a
 * command line against any {@link CliEnvironment} and returns the exit code (tests use this).
 */
@Command(name = "warren", mixinStandardHelpOptions = true, versionProvider = WarrenCli.Version.class,
        description = "Warren VPN and tunnel gateway.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:invalid config or key (every problem is printed)",
            "2:bad command line",
            "3:daemon not reachable over the control socket",
            "4:I/O error or daemon start failure"})
public final class WarrenCli implements Callable<Integer> {
    private final CliEnvironment env;

    @Spec
    CommandSpec spec;

    WarrenCli(CliEnvironment env) {
        this.env = env;
    }

    /** Entry point: runs the command and exits with its code. */
    public static void main(String[] args) {
        System.exit(execute(CliEnvironment.system(), args));
    }

    /** Runs {@code args} in-process; returns the exit code, never exits. */
    public static int execute(CliEnvironment env, String... args) {
        return commandLine(env).execute(args);
    }

    /** The full command tree bound to {@code env} (also used to generate man pages and completion). */
    public static CommandLine commandLine(CliEnvironment env) {
        CommandLine client = new CommandLine(new ClientCommand(env))
                .addSubcommand(new ClientCommand.Add(env));
        CommandLine cl = new CommandLine(new WarrenCli(env))
                .addSubcommand(new RunCommand(env))
                .addSubcommand(new CheckCommand(env))
                .addSubcommand(new GenKeyCommand(env))
                .addSubcommand(new PubKeyCommand(env))
                .addSubcommand(new GenPskCommand(env))
                .addSubcommand(new StatusCommand(env))
                .addSubcommand(new ReloadCommand(env))
                .addSubcommand("client", client)
                .addSubcommand("generate-completion", new AutoComplete.GenerateCompletion());
        // Hidden: used by packaging to write /usr/share/bash-completion/completions/warren.
        cl.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(true);
        cl.setOut(env.out());
        cl.setErr(env.err());
        return cl;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(env.err());
        env.err().flush();
        return ExitCodes.USAGE;
    }

    /**
     * {@code --version}: the jar's Implementation-Version, or "dev" when run from classes. Read from a
     * class the application's loader always defines: in the packaged entry point this class is defined
     * by a loader of its own (without the jar's manifest).
     */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = CliEnvironment.class.getPackage().getImplementationVersion();
            return new String[] {"warren " + (v == null ? "dev" : v)};
        }
    }
}
