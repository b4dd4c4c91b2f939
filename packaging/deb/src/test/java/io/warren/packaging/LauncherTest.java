package io.warren.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher {@code /usr/bin/warren} ({@code files/warren}): which JVM options reach {@code java} for
 * each {@code WARREN_MEMORY_PROFILE}, checked with a stand-in {@code java} that prints its arguments, and
 * the small profile's options accepted by the real JDK running this test.
 */
class LauncherTest {
    private static final Path LAUNCHER = Path.of("files/warren").toAbsolutePath();
    private static final List<String> SMALL = List.of("-XX:TieredStopAtLevel=1", "-Xshare:off",
            "-XX:CompileCommand=quiet", "-XX:CompileCommand=exclude,org.tomlj.*::*",
            "-XX:CompileCommand=exclude,org.antlr.*::*", "-XX:CompileCommand=exclude,picocli.*::*");

    @TempDir
    Path dir;

    private record Run(List<String> argv, String stderr, int exit) {
    }

    private Run launch(Map<String, String> env, String... args) throws IOException, InterruptedException {
        Path fake = dir.resolve("java");
        Files.writeString(fake, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> cmd = new ArrayList<>(List.of("sh", LAUNCHER.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/bin:/bin");
        pb.environment().put("JAVA", fake.toString());
        pb.environment().putAll(env);
        Path out = dir.resolve("out");
        Path err = dir.resolve("err");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "launcher did not finish");
        return new Run(Files.readAllLines(out, StandardCharsets.UTF_8), Files.readString(err), p.exitValue());
    }

    private static List<String> jvmOptions(Run r) {
        return r.argv().subList(0, r.argv().indexOf("-cp"));
    }

    @Test
    void withoutProfileTheDefaultOptionsAndNothingElse() throws Exception {
        Run r = launch(Map.of("WARREN_JAVA_OPTS", "-Xmx64m -XX:+UseSerialGC"), "run", "--config", "/x.toml");
        assertEquals(List.of("--enable-native-access=ALL-UNNAMED", "-Xmx64m", "-XX:+UseSerialGC"), jvmOptions(r));
        assertEquals(List.of("-cp", "/usr/share/warren/lib/*", "io.warren.gateway.Main", "run", "--config", "/x.toml"),
                r.argv().subList(r.argv().indexOf("-cp"), r.argv().size()));
        assertEquals("", r.stderr());
    }

    @Test
    void smallProfileAppendsItsOptionsForRunOnly() throws Exception {
        Run run = launch(Map.of("WARREN_JAVA_OPTS", "-Xmx64m", "WARREN_MEMORY_PROFILE", "small"), "run");
        List<String> expected = new ArrayList<>(List.of("--enable-native-access=ALL-UNNAMED", "-Xmx64m"));
        expected.addAll(SMALL);
        assertEquals(expected, jvmOptions(run));
        for (String command : new String[] {"status", "reload", "check"}) {
            Run other = launch(Map.of("WARREN_JAVA_OPTS", "-Xmx64m", "WARREN_MEMORY_PROFILE", "small"), command);
            assertEquals(List.of("--enable-native-access=ALL-UNNAMED", "-Xmx64m"), jvmOptions(other), command);
        }
    }

    @Test
    void smallProfileKeepsTheFallbackOptionsWhenNoneAreSet() throws Exception {
        Run r = launch(Map.of("WARREN_MEMORY_PROFILE", "small"), "run");
        List<String> options = jvmOptions(r);
        assertTrue(options.contains("-Xmx128m"), options.toString());
        assertTrue(options.containsAll(SMALL), options.toString());
    }

    @Test
    void optionsAreNeverGlobbed() throws Exception {
        // A file in the working directory that the exclusion patterns would match as globs.
        Files.writeString(dir.resolve("-XX:CompileCommand=exclude,org.tomlj.x::y"), "");
        Run r = launch(Map.of("WARREN_JAVA_OPTS", "-Xmx64m", "WARREN_MEMORY_PROFILE", "small"), "run");
        assertTrue(jvmOptions(r).containsAll(SMALL), jvmOptions(r).toString());
        assertFalse(jvmOptions(r).contains("-XX:CompileCommand=exclude,org.tomlj.x::y"));
    }

    @Test
    void unknownProfileIsNamedAndIgnored() throws Exception {
        Run r = launch(Map.of("WARREN_JAVA_OPTS", "-Xmx64m", "WARREN_MEMORY_PROFILE", "tiny"), "run");
        assertEquals(0, r.exit());
        assertEquals(List.of("--enable-native-access=ALL-UNNAMED", "-Xmx64m"), jvmOptions(r));
        assertTrue(r.stderr().contains("unknown WARREN_MEMORY_PROFILE 'tiny'"), r.stderr());
    }

    @Test
    void theRunningJdkAcceptsTheSmallProfile() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new ArrayList<>(List.of(java.toString()));
        cmd.addAll(SMALL);
        cmd.add("-version");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("v").toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String out = Files.readString(dir.resolve("v"));
        assertEquals(0, p.exitValue(), out);
        assertFalse(out.contains("CompileCommand:"), "quiet comes first: " + out);
        assertFalse(out.toLowerCase().contains("warning"), out);
    }
}
