package io.warren.packaging;

import io.warren.testlab.ExecResult;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A cached Debian bookworm root for the packaging ITs, kept on purpose in {@code /var/cache/warren-test}
 * (override: {@code -Dwarren.test.cache=DIR}) and used read-only as the lower layer of per-test overlays.
 *
 * <p>Content: {@code debootstrap --variant=minbase --include=systemd,systemd-sysv,dbus bookworm} from the
 * host's configured Debian mirror, then {@code apt-get update} and the dependencies of the built .deb
 * downloaded (not installed) into the root's {@code /var/cache/apt/archives}. So a test installs the .deb
 * with apt resolving its Depends for real, with no network (containers get {@code --private-network}).
 *
 * <p>Key: the date (UTC) and a hash of the package's Depends, so the package lists and archives match
 * each other and a changed Depends gets a new root. Building takes ~2-3 min and ~450 MB; roots older
 * than {@link #KEEP} are deleted when a new one is made. A file lock serialises concurrent builds.
 */
final class DebianCache {
    static final String SUITE = "bookworm";
    static final Duration KEEP = Duration.ofDays(3);
    private static final String COMPLETE = ".warren-cache-complete";

    private DebianCache() {
    }

    /** @return the cache folder */
    static Path dir() {
        return Path.of(System.getProperty("warren.test.cache", "/var/cache/warren-test"));
    }

    /**
     * @return a complete cached root for {@code deb}, built first if today's is missing
     */
    static synchronized Path rootFor(Path deb) throws IOException {
        String depends = BuiltDeb.field(deb, "Depends");
        String key = SUITE + "-" + LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.BASIC_ISO_DATE)
                + "-" + shortHash(depends);
        Path base = dir().resolve(key);
        Files.createDirectories(dir());
        try (FileChannel ch = FileChannel.open(dir().resolve(".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            FileLock lock = ch.lock(); // other JVMs (parallel builds) wait here while one builds
            try {
                if (!Files.exists(base.resolve(COMPLETE))) {
                    removeOld(base);
                    build(base, deb);
                }
                return base.resolve("root");
            } finally {
                lock.release();
            }
        }
    }

    private static void build(Path base, Path deb) throws IOException {
        String mirror = mirror();
        Path building = dir().resolve("building-" + ProcessHandle.current().pid());
        Exec.deleteTree(building);
        Exec.deleteTree(base);
        long t0 = System.nanoTime();
        try {
            Path root = building.resolve("root");
            Files.createDirectories(building);
            log("building " + base + " from " + mirror + " (cold cache: ~2-3 min)");
            Exec.check(Duration.ofMinutes(20), List.of("debootstrap", "--variant=minbase",
                    "--include=systemd,systemd-sysv,dbus", SUITE, root.toString(), mirror));
            Files.copy(deb, root.resolve("var/tmp/warren-deps.deb"));
            // Host network here only: apt fetching from the configured Debian mirror.
            ExecResult r = Exec.run(Duration.ofMinutes(20), Nspawn.oneShot(root, "warren-cache", false,
                    "set -e; apt-get update -q; apt-get install -q -y --no-install-recommends --download-only"
                            + " /var/tmp/warren-deps.deb; rm -f /var/tmp/warren-deps.deb"));
            if (!r.ok()) {
                throw new AssertionError("cannot download the package's dependencies into the cached root:\n"
                        + Exec.tail(r.stdout()) + Exec.tail(r.stderr()));
            }
            Files.writeString(building.resolve(COMPLETE), "built " + Instant.now() + " from " + mirror + "\n",
                    StandardCharsets.UTF_8);
            Files.move(building, base);
            log("built " + base + " in " + (System.nanoTime() - t0) / 1_000_000_000 + " s");
        } finally {
            Exec.deleteTree(building);
        }
    }

    /** Deletes cached roots of this kind older than {@link #KEEP} (never the one being made). */
    private static void removeOld(Path keep) throws IOException {
        List<Path> old = new ArrayList<>();
        Instant limit = Instant.now().minus(KEEP);
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir(), SUITE + "-*")) {
            for (Path p : ds) {
                FileTime t = Files.getLastModifiedTime(p);
                if (!p.equals(keep) && t.toInstant().isBefore(limit)) {
                    old.add(p);
                }
            }
        }
        for (Path p : old) {
            log("removing old cached root " + p);
            Exec.deleteTree(p);
        }
    }

    /**
     * The Debian mirror: {@code -Dwarren.debian.mirror}, else the first {@code deb} source for {@value #SUITE}
     * in /etc/apt/sources.list or sources.list.d (one-line or deb822 format).
     */
    static String mirror() throws IOException {
        String forced = System.getProperty("warren.debian.mirror");
        if (forced != null && !forced.isBlank()) {
            return forced;
        }
        List<Path> files = new ArrayList<>();
        Path main = Path.of("/etc/apt/sources.list");
        if (Files.isRegularFile(main)) {
            files.add(main);
        }
        Path d = Path.of("/etc/apt/sources.list.d");
        if (Files.isDirectory(d)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(d)) {
                ds.forEach(files::add);
            }
        }
        files.sort(null);
        for (Path f : files) {
            String text = Files.readString(f, StandardCharsets.UTF_8);
            Optional<String> m = f.toString().endsWith(".sources") ? fromDeb822(text) : fromOneLine(text);
            if (m.isPresent()) {
                return m.get();
            }
        }
        throw new AssertionError("no 'deb' source for " + SUITE + " in /etc/apt/sources.list*; set"
                + " -Dwarren.debian.mirror=URL");
    }

    static Optional<String> fromOneLine(String text) {
        for (String line : text.split("\n")) {
            String[] w = line.replaceAll("\\[[^]]*]", " ").trim().split("\\s+");
            if (w.length >= 3 && w[0].equals("deb") && w[2].equals(SUITE)) {
                return Optional.of(w[1]);
            }
        }
        return Optional.empty();
    }

    static Optional<String> fromDeb822(String text) {
        for (String stanza : text.split("\n\\s*\n")) {
            String types = "";
            String uris = "";
            String suites = "";
            for (String line : stanza.split("\n")) {
                if (line.startsWith("Types:")) {
                    types = line.substring(6).trim();
                } else if (line.startsWith("URIs:")) {
                    uris = line.substring(5).trim();
                } else if (line.startsWith("Suites:")) {
                    suites = line.substring(7).trim();
                }
            }
            if (List.of(types.split("\\s+")).contains("deb") && List.of(suites.split("\\s+")).contains(SUITE)
                    && !uris.isEmpty()) {
                return Optional.of(uris.split("\\s+")[0]);
            }
        }
        return Optional.empty();
    }

    private static String shortHash(String s) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a mandatory JDK algorithm", e);
        }
    }

    static void log(String m) {
        System.out.println("[warren-deb] " + m);
    }
}
