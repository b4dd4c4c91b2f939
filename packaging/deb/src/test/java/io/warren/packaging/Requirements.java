package io.warren.packaging;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/** Skips (JUnit assumptions) with a loud reason when root or a host tool is missing. */
final class Requirements {
    private Requirements() {
    }

    /** Skips unless the effective UID is 0 (debootstrap, overlay mounts and systemd-nspawn need root). */
    static void root(String why) {
        if (!isRoot()) {
            Assumptions.abort("SKIPPED: needs root (" + why + "); run the Deb*IT integration tests as root");
        }
    }

    /**
     * Skips unless {@code executable} is installed.
     *
     * @param debianPackage the Debian package that ships it, named in the skip message
     */
    static void tool(String executable, String debianPackage) {
        if (find(executable) == null) {
            Assumptions.abort("SKIPPED: needs '" + executable + "' (Debian package " + debianPackage
                    + "); install it with: DEBIAN_FRONTEND=noninteractive apt-get install -y"
                    + " --no-install-recommends " + debianPackage);
        }
    }

    static Path find(String executable) {
        String path = System.getenv("PATH");
        List<String> dirs = new java.util.ArrayList<>(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"));
        if (path != null) {
            dirs.addAll(0, List.of(path.split(File.pathSeparator)));
        }
        for (String d : dirs) {
            Path p = Path.of(d.isEmpty() ? "." : d, executable);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[2].equals("0"); // effective UID
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }
}
