package io.warren.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.testlab.ExecResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The built .deb passes {@code lintian --pedantic} with no error and no warning. Overrides are only
 * those shipped (with reasons) in /usr/share/lintian/overrides/warren; pedantic (P:) and info (I:) tags
 * are printed for the reader, not failed on.
 */
class DebLintianIT {

    @Test
    @Timeout(180)
    void lintianReportsNoErrorsAndNoWarnings() {
        Requirements.tool("lintian", "lintian");
        Path deb = BuiltDeb.path();
        List<String> argv = List.of("lintian", "--pedantic", "--display-info", "--display-experimental",
                "--tag-display-limit", "0", "--fail-on", "error,warning", deb.toString());
        ExecResult r = Exec.run(Duration.ofMinutes(3), argv);
        String all = r.stdout() + r.stderr();
        System.out.println("[warren-deb] lintian output:\n" + all);
        List<String> bad = Arrays.stream(all.split("\n"))
                .filter(l -> l.startsWith("E: ") || l.startsWith("W: "))
                .collect(Collectors.toList());
        assertTrue(bad.isEmpty(), "lintian errors/warnings on " + deb.getFileName() + ":\n" + String.join("\n", bad));
        assertEquals(0, r.exitCode(), "lintian exit status (--fail-on error,warning)\n" + all);
    }
}
