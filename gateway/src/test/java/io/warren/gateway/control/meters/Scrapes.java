package io.warren.gateway.control.meters;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Reading a Prometheus text scrape in tests, and {@code promtool check metrics} on it. */
final class Scrapes {
    private Scrapes() {
    }

    /** The value of one series, e.g. {@code warren_dns_queries_total{transport="udp"}}, if present. */
    static Optional<Double> value(String scrape, String series) {
        return scrape.lines().filter(l -> l.startsWith(series + " "))
                .map(l -> Double.parseDouble(l.substring(series.length() + 1).trim())).findFirst();
    }

    static double require(String scrape, String series) {
        return value(scrape, series).orElseThrow(() -> new AssertionError("no series " + series + " in:\n" + scrape));
    }

    /** Runs {@code promtool check metrics} on {@code scrape}; skips loudly without promtool. */
    static void promtoolCheck(String scrape) throws IOException, InterruptedException {
        Optional<Path> promtool = Optional.ofNullable(System.getenv("PATH")).stream()
                .flatMap(p -> java.util.Arrays.stream(p.split(":")))
                .map(d -> Path.of(d, "promtool")).filter(Files::isExecutable).findFirst();
        if (promtool.isEmpty()) {
            Assumptions.abort("SKIPPED: promtool not found on PATH (Debian package prometheus); "
                    + "the scrape was not linted");
        }
        Process p = new ProcessBuilder(promtool.get().toString(), "check", "metrics").redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(scrape.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("promtool check metrics did not finish");
        }
        assertEquals(0, p.exitValue(), "promtool check metrics:\n" + out);
        assertEquals("", out.strip(), "promtool lint findings");
    }
}
