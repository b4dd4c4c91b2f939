package io.warren.gateway.config;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as admins write them in dnsmasq and systemd: {@code "12h"}, {@code "30m"}, {@code "1d"}, {@code "90s"}, {@code "500ms"}. */
final class Durations {
    private static final Pattern FORM = Pattern.compile("(\\d{1,9})(ms|[smhdw]?)");

    private Durations() {
    }

    /** Parses {@code N[ms|s|m|h|d|w]}; a bare number means seconds. */
    static Optional<Duration> parse(String s) {
        Matcher m = FORM.matcher(s.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        long n = Long.parseLong(m.group(1));
        switch (m.group(2)) {
            case "ms":
                return Optional.of(Duration.ofMillis(n));
            case "m":
                return Optional.of(Duration.ofMinutes(n));
            case "h":
                return Optional.of(Duration.ofHours(n));
            case "d":
                return Optional.of(Duration.ofDays(n));
            case "w":
                return Optional.of(Duration.ofDays(7 * n));
            default:
                return Optional.of(Duration.ofSeconds(n));
        }
    }
}
