package io.warren.gateway.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Bad input never crashes: every value of the full example replaced by values of every other
 * type, every line deleted, and random byte damage, all give problems, never an exception.
 */
class ConfigRobustnessTest {
    private static final String[] REPLACEMENTS = {"1", "-1", "99999999999", "1.5", "true", "\"\"", "\"x\"", "[]",
        "[1, \"a\"]", "[{}]", "{}", "{ a = 1 }", "1979-05-27", "\"10.0.0.300/32\"", "\"[::1]:0\""};

    private static List<String> lines() throws Exception {
        return Files.readAllLines(Path.of(ConfigRobustnessTest.class.getResource("/config/valid-full.toml").toURI()));
    }

    private static ConfigResult parse(String text) {
        return new ConfigParser(FakeSecretFiles.fixtures(), Path.of("/fixtures")).parse("w.toml", text);
    }

    @Test
    void everyValueReplacedByEveryOtherKindOfValue() throws Exception {
        List<String> lines = lines();
        int parsed = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int eq = line.indexOf(" = ");
            if (eq < 0 || line.startsWith("#")) {
                continue;
            }
            for (String r : REPLACEMENTS) {
                List<String> copy = new ArrayList<>(lines);
                copy.set(i, line.substring(0, eq) + " = " + r);
                String text = String.join("\n", copy);
                ConfigResult result = assertDoesNotThrow(() -> parse(text), () -> "line " + line + " -> " + r);
                result.problems().forEach(p -> assertTrue(p.line() >= 0));
                parsed++;
            }
        }
        assertTrue(parsed > 500);
    }

    @Test
    void everyLineDeleted() throws Exception {
        List<String> lines = lines();
        for (int i = 0; i < lines.size(); i++) {
            List<String> copy = new ArrayList<>(lines);
            copy.remove(i);
            String text = String.join("\n", copy);
            assertDoesNotThrow(() -> parse(text), "without line " + (i + 1));
        }
    }

    @Test
    void randomDamage() throws Exception {
        String text = String.join("\n", lines());
        Random random = new Random(42);
        String alphabet = "=[]{}\"'.,#\n 0123456789abcdef:/-";
        for (int round = 0; round < 500; round++) {
            StringBuilder sb = new StringBuilder(text);
            for (int n = 0; n < 1 + random.nextInt(4); n++) {
                int at = random.nextInt(sb.length());
                sb.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String damaged = sb.toString();
            assertDoesNotThrow(() -> parse(damaged), damaged);
        }
    }

    @Test
    void mixedPeerArrayIsAnErrorNotACrash() {
        ConfigResult r = parse("[interface.wg0]\nprivate-key = \"wK3EJPcxao7yQv3OKzQAmk9WKxxinyn+fKgKba6UlWg=\"\n"
                + "peer = [{ public-key = \"EJl44V2Zu+9iFP2bC3mCaD9cylJmMs3fAS6maFL3IjI=\" }, 1]\n");
        assertFalse(r.isValid());
    }
}
