package io.warren.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * Man pages (AsciiDoc, via picocli-codegen) and bash completion can be generated from the command
 * tree. Packaging turns the .adoc files into troff with asciidoctor and ships the completion script.
 */
class WarrenCliDocsTest {
    @TempDir
    Path dir;

    @Test
    void manPagesAreGeneratedForEveryCommand() throws Exception {
        CommandLine cl = WarrenCli.commandLine(new CliHarness().env());
        int rc = ManPageGenerator.generateManPage(dir.toFile(), null, new boolean[0], true, cl.getCommandSpec());
        assertEquals(0, rc);
        String main = Files.readString(dir.resolve("warren.adoc"));
        assertTrue(main.contains("Exit codes") || main.contains("EXIT STATUS"), main);
        assertTrue(main.contains("genkey"), main);
        for (String sub : new String[] {"check", "run", "genkey", "pubkey", "genpsk", "status", "reload", "client", "client-add"}) {
            File f = dir.resolve("warren-" + sub + ".adoc").toFile();
            assertTrue(f.isFile(), "missing man page for " + sub + ": " + String.join(",", dir.toFile().list()));
        }
    }

    @Test
    void bashCompletionIsGeneratedByTheHiddenSubcommand() {
        CliHarness h = new CliHarness();
        assertEquals(0, h.run("generate-completion"));
        String script = h.out.toString();
        assertTrue(script.contains("complete -F _complete_warren"), script.substring(0, Math.min(300, script.length())));
        assertTrue(script.contains("pubkey") && script.contains("--socket"));
        CliHarness help = new CliHarness();
        help.run("--help");
        assertTrue(!help.out.toString().contains("generate-completion"), "hidden from --help");
    }
}
