package io.warren.gateway.control;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real group member (user {@code nobody} with the socket's group, via {@code setpriv}) hoards
 * control connections and keeps reconnecting, as fast as it can; root's reload and status are still
 * answered within 1 s each. Needs root, {@code setpriv} and {@code /usr/bin/python3}.
 */
class ControlFairnessIT {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");

    /** Keeps 50 silent connections, replacing the oldest by a new one in a tight loop. */
    private static final String HOARDER = String.join("\n",
            "import socket, sys, time",
            "held, made, end = [], 0, time.time() + float(sys.argv[2])",
            "while time.time() < end:",
            "    s = socket.socket(socket.AF_UNIX)",
            "    try:",
            "        s.connect(sys.argv[1])",
            "    except OSError:",
            "        s.close(); continue",
            "    held.append(s); made += 1",
            "    if made == 50: print('holding', flush=True)",
            "    if len(held) > 50: held.pop(0).close()",
            "print('made', made, flush=True)");

    @TempDir
    Path dir;

    @Test
    void aGroupMemberWhoKeepsReconnectingDoesNotStarveRoot() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
        Assumptions.assumeTrue(Files.isExecutable(PYTHON) && Files.isExecutable(SETPRIV), "needs python3 and setpriv");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
        Path socket = dir.resolve("control.sock");
        ControlProtocolTest.FakeBackend backend = new ControlProtocolTest.FakeBackend();
        try (ControlServer server = ControlServer.start(ControlServer.Config.defaults(socket), new ControlProtocol(backend))) {
            ControlServerTest.exchange(socket, "{\"command\":\"status\"}\n"); // warm-up: class loading is not the point
            // gid 0 is the socket file's group here: nobody is then a member of it, like an admin
            Process hoarder = new ProcessBuilder(SETPRIV.toString(), "--reuid=65534", "--regid=0", "--clear-groups",
                    PYTHON.toString(), "-c", HOARDER, socket.toString(), "6").redirectErrorStream(true).start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(hoarder.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String first = out.readLine();
                assertTrue("holding".equals(first), "the hoarder runs: " + first);
                long worst = 0;
                List<Long> millis = new java.util.ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    long t0 = System.nanoTime();
                    String reply = ControlServerTest.exchange(socket, i % 2 == 0
                            ? "{\"command\":\"reload\"}\n" : "{\"command\":\"status\"}\n");
                    worst = Math.max(worst, System.nanoTime() - t0);
                    millis.add((System.nanoTime() - t0) / 1_000_000);
                    assertTrue(reply.contains("\"ok\":true"), reply);
                    Thread.sleep(200);
                }
                assertTrue(worst < 1_000_000_000L, "worst root request took " + worst / 1_000_000 + " ms");
                String made = out.readLine();
                assertTrue(hoarder.waitFor(10, TimeUnit.SECONDS), "the hoarder ends");
                System.out.println("ControlFairnessIT: root requests " + millis + " ms while the hoarder "
                        + made + " connections");
                assertTrue(made != null && made.startsWith("made ") && Integer.parseInt(made.substring(5)) > 100,
                        "the hoarder really churned: " + made);
            } finally {
                hoarder.destroyForcibly();
            }
        }
        assertTrue(List.of("reload", "status").stream().allMatch(backend.calls::contains), backend.calls.toString());
    }
}
