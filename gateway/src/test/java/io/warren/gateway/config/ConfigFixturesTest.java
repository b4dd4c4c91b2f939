package io.warren.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One fixture per failure reason under {@code src/test/resources/config/}: each {@code bad-*.toml}
 * and {@code warn-*.toml} states its exact expected diagnostics in {@code # expect: LINE: ...}
 * comments (a trailing "..." matches any rest). The parse must report exactly those, in order.
 */
class ConfigFixturesTest {

    static Stream<String> fixtures() throws IOException, URISyntaxException {
        Path dir = Path.of(ConfigFixturesTest.class.getResource("/config").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("bad-") || n.startsWith("warn-"))
                    .sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void fixtureReportsExactlyItsExpectedProblems(String name) throws Exception {
        String text = Files.readString(Path.of(getClass().getResource("/config/" + name).toURI()));
        List<String> expected = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# expect: ")) {
                expected.add(name + ":" + line.substring("# expect: ".length()));
            }
        }
        assertFalse(expected.isEmpty(), name + " has no # expect: lines");

        ConfigResult r = new ConfigParser(FakeSecretFiles.fixtures(), Path.of("/fixtures")).parse(name, text);

        List<String> actual = r.problems().stream().map(ConfigError::format).toList();
        assertEquals(expected.size(), actual.size(), "problems: " + actual);
        for (int i = 0; i < expected.size(); i++) {
            String e = expected.get(i);
            if (e.endsWith("...")) {
                String prefix = e.substring(0, e.length() - 3);
                assertTrue(actual.get(i).startsWith(prefix), "expected " + e + " but got " + actual.get(i));
            } else {
                assertEquals(e, actual.get(i));
            }
        }
        assertEquals(name.startsWith("warn-"), r.isValid(), "warn-* fixtures load, bad-* fixtures do not");
    }
}
