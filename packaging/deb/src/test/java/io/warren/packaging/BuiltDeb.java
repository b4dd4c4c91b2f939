package io.warren.packaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

/**
 * The .deb this module's build made (Failsafe passes its path as {@code warren.deb}), and a way to
 * derive an "upgrade" package from it with dpkg-deb.
 */
final class BuiltDeb {
    private BuiltDeb() {
    }

    /** @return the built package; fails (not skips) when the build did not pass or make it */
    static Path path() {
        String p = System.getProperty("warren.deb");
        if (p == null || p.isBlank()) {
            throw new AssertionError("system property warren.deb is not set: run these ITs through Maven"
                    + " (mvn -pl packaging/deb -am verify), which builds the package first");
        }
        Path deb = Path.of(p);
        if (!Files.isRegularFile(deb)) {
            throw new AssertionError("the package " + deb + " was not built");
        }
        return deb;
    }

    /** @return the version Maven built ({@code warren.deb.version}) */
    static String version() {
        return System.getProperty("warren.deb.version", "0.1.0");
    }

    /** @return a control field of {@code deb}, e.g. "Depends" */
    static String field(Path deb, String name) {
        return Exec.check(Duration.ofSeconds(30), List.of("dpkg-deb", "-f", deb.toString(), name)).stdout().trim();
    }

    /**
     * Writes a copy of {@code deb} with another version whose packaged {@code /etc/warren/warren.toml}
     * has {@code confLine} appended, so that an upgrade meets a conffile changed on both sides.
     */
    static Path repack(Path deb, String newVersion, String confLine, Path workDir) throws IOException {
        Path tree = workDir.resolve("tree");
        Exec.check(Duration.ofMinutes(2), List.of("dpkg-deb", "-R", deb.toString(), tree.toString()));
        Path control = tree.resolve("DEBIAN/control");
        String c = Files.readString(control, StandardCharsets.UTF_8)
                .replaceFirst("(?m)^Version: .*$", "Version: " + newVersion);
        Files.writeString(control, c, StandardCharsets.UTF_8);
        Path conf = tree.resolve("etc/warren/warren.toml");
        Files.writeString(conf, Files.readString(conf, StandardCharsets.UTF_8) + confLine + "\n", StandardCharsets.UTF_8);
        Path md5sums = tree.resolve("DEBIAN/md5sums");
        if (Files.exists(md5sums)) {
            String sum = md5(Files.readAllBytes(conf));
            String m = Files.readString(md5sums, StandardCharsets.US_ASCII)
                    .replaceFirst("(?m)^[0-9a-f]{32}  etc/warren/warren\\.toml$", sum + "  etc/warren/warren.toml");
            Files.writeString(md5sums, m, StandardCharsets.US_ASCII);
        }
        Path out = workDir.resolve("warren_" + newVersion + "_all.deb");
        // -Zgzip -z1: this copy only lives for one test; fast beats small.
        Exec.check(Duration.ofMinutes(3), List.of("dpkg-deb", "--root-owner-group", "-Zgzip", "-z1", "-b",
                tree.toString(), out.toString()));
        Exec.deleteTree(tree);
        return out;
    }

    private static String md5(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is a mandatory JDK algorithm", e);
        }
    }
}
