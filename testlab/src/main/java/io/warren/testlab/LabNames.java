package io.warren.testlab;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Naming scheme of everything the lab creates. Names encode the creator's PID so that a later run can
 * tell leftovers of a crashed run (creator dead) from objects of a concurrent live run (creator alive).
 *
 * <ul>
 *   <li>namespace: {@code wl<pid>-<lab>-<short>}, e.g. {@code wl4711-2-nat}</li>
 *   <li>interface (&lt;= 15 chars, IFNAMSIZ - 1): {@code <prefix>-<pid base36>-<seq base36>}, e.g.
 *       {@code wg-3nj-1}; the prefix is shortened when needed</li>
 * </ul>
 */
final class LabNames {
    /** IFNAMSIZ (16) minus the terminating NUL. */
    static final int MAX_IFNAME = 15;
    private static final Pattern NETNS = Pattern.compile("^wl(\\d+)-(\\d+)-(.+)$");
    private static final Pattern IFNAME = Pattern.compile("^[a-z0-9]*-([0-9a-z]+)-([0-9a-z]+)$");
    private static final Pattern SHORT = Pattern.compile("^[A-Za-z0-9_.-]{1,40}$");

    private LabNames() {
    }

    static String netns(long pid, int labSeq, String shortName) {
        if (!SHORT.matcher(shortName).matches()) {
            throw new IllegalArgumentException("namespace short name must be 1-40 chars of [A-Za-z0-9_.-]: "
                    + shortName);
        }
        return "wl" + pid + "-" + labSeq + "-" + shortName;
    }

    /** @return the creator PID encoded in a lab namespace name, empty for foreign names */
    static Optional<Long> netnsCreator(String netnsName) {
        Matcher m = NETNS.matcher(netnsName);
        return m.matches() ? parsePid(m.group(1), 10) : Optional.empty();
    }

    static String ifname(String prefix, long pid, int seq) {
        String clean = prefix.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]", "");
        String suffix = "-" + Long.toString(pid, 36) + "-" + Integer.toString(seq, 36);
        if (suffix.length() >= MAX_IFNAME) {
            throw new IllegalStateException("pid/sequence too large for an interface name: " + suffix);
        }
        int room = MAX_IFNAME - suffix.length();
        return (clean.length() > room ? clean.substring(0, room) : clean) + suffix;
    }

    /** @return the creator PID encoded in a lab interface name, empty for foreign names */
    static Optional<Long> ifnameCreator(String ifname) {
        Matcher m = IFNAME.matcher(ifname);
        return m.matches() && ifname.length() <= MAX_IFNAME ? parsePid(m.group(1), 36) : Optional.empty();
    }

    private static Optional<Long> parsePid(String digits, int radix) {
        try {
            return Optional.of(Long.parseLong(digits, radix));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
