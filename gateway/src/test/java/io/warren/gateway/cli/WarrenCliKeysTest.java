package io.warren.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.gateway.config.WgKey;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** genkey / pubkey / genpsk, in-process. Interop with the real wg binary is in {@code WgKeyCompatIT}. */
class WarrenCliKeysTest {

    @Test
    void genkeyPrintsAClampedBase64Key() {
        CliHarness h = new CliHarness("", CliHarness.constant(0xff), Daemon.DRY_RUN, ControlTransport.UNWIRED);
        assertEquals(0, h.run("genkey"));
        byte[] k = Base64.getDecoder().decode(h.out.toString().strip());
        assertEquals(32, k.length);
        assertEquals((byte) 0xf8, k[0]);
        assertEquals((byte) 0x7f, k[31]);
        assertEquals("", h.err.toString());
    }

    @Test
    void genpskIsNotClamped() {
        CliHarness h = new CliHarness("", CliHarness.constant(0xff), Daemon.DRY_RUN, ControlTransport.UNWIRED);
        assertEquals(0, h.run("genpsk"));
        byte[] allOnes = new byte[32];
        java.util.Arrays.fill(allOnes, (byte) 0xff);
        assertEquals(Base64.getEncoder().encodeToString(allOnes), h.out.toString().strip());
    }

    @Test
    void pubkeyMatchesWgKnownAnswer() {
        CliHarness h = CliHarness.withStdin("wK3EJPcxao7yQv3OKzQAmk9WKxxinyn+fKgKba6UlWg=\n");
        assertEquals(0, h.run("pubkey"));
        assertEquals("72DS1AukW0ngf1CHAYHruPAi0oCzPOKvStcM+w7S3is=\n", h.out.toString());
    }

    @Test
    void genkeyThenPubkeyRoundTrips() {
        CliHarness gen = new CliHarness();
        assertEquals(0, gen.run("genkey"));
        String priv = gen.out.toString();
        CliHarness pub = CliHarness.withStdin(priv);
        assertEquals(0, pub.run("pubkey"));
        assertEquals(WgKey.parse(priv).get().publicKey().toBase64(), pub.out.toString().strip());
    }

    @Test
    void pubkeyRejectsBadInputWithoutEchoingIt() {
        String secretish = "wK3EJPcxao7yQv3OKzQAmk9WKxxinyn+fKgKba6U";
        CliHarness h = CliHarness.withStdin(secretish);
        assertEquals(ExitCodes.INVALID, h.run("pubkey"));
        assertEquals("", h.out.toString());
        assertTrue(h.err.toString().contains("not a WireGuard private key"));
        assertFalse(h.err.toString().contains("wK3E"));
    }

    @Test
    void pubkeyRejectsHugeInput() {
        CliHarness h = CliHarness.withStdin("A".repeat(5000));
        assertEquals(ExitCodes.INVALID, h.run("pubkey"));
    }
}
