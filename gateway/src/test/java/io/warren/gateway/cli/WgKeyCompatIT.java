package io.warren.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;

/**
 * Interop with the real {@code wg} binary (wireguard-tools): {@code wg genkey | warren pubkey} and
 * {@code warren genkey | wg pubkey} agree. Skips, loudly, when {@code wg} is not installed.
 *
 * <p>Run: {@code mvn -o -pl gateway verify -Dit.test=WgKeyCompatIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false}
 */
class WgKeyCompatIT {
    private static String wg;

    @BeforeAll
    static void findWg() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir, "wg");
            if (Files.isExecutable(p)) {
                wg = p.toString();
                return;
            }
        }
        System.err.println("*** WgKeyCompatIT SKIPPED: no 'wg' on PATH. Install wireguard-tools to run the interop check. ***");
    }

    private static String wg(String stdin, String... args) throws IOException, InterruptedException {
        String[] cmd = new String[args.length + 1];
        cmd[0] = wg;
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.US_ASCII));
        }
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assumeTrue(p.waitFor(10, TimeUnit.SECONDS), "wg did not finish");
        assertEquals(0, p.exitValue(), "wg " + String.join(" ", args) + " failed");
        return out;
    }

    @RepeatedTest(5)
    void wgGenkeyThenWarrenPubkeyMatchesWgPubkey() throws Exception {
        assumeTrue(wg != null, "wg not installed: SKIPPED (see stderr)");
        String priv = wg(null, "genkey");
        CliHarness h = CliHarness.withStdin(priv);
        assertEquals(0, h.run("pubkey"));
        assertEquals(wg(priv, "pubkey"), h.out.toString());
    }

    @RepeatedTest(5)
    void warrenGenkeyIsAcceptedByWgPubkey() throws Exception {
        assumeTrue(wg != null, "wg not installed: SKIPPED (see stderr)");
        CliHarness gen = new CliHarness();
        assertEquals(0, gen.run("genkey"));
        String priv = gen.out.toString();
        CliHarness pub = CliHarness.withStdin(priv);
        assertEquals(0, pub.run("pubkey"));
        assertEquals(wg(priv, "pubkey"), pub.out.toString());
    }

    @RepeatedTest(3)
    void warrenGenpskIsAValidWgKey() throws Exception {
        assumeTrue(wg != null, "wg not installed: SKIPPED (see stderr)");
        CliHarness gen = new CliHarness();
        assertEquals(0, gen.run("genpsk"));
        // wg pubkey accepts any 32-byte key text; it is the format check wg applies to PSKs too.
        assertEquals(45, wg(gen.out.toString(), "pubkey").length());
    }
}
