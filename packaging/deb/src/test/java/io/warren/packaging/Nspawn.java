package io.warren.packaging;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Command lines for systemd-nspawn on a host where systemd is not PID 1 (see shared/lab-notes.md):
 * every invocation runs in a private mount namespace ({@code unshare -m --propagation private}) with a
 * tmpfs on /run/systemd (nspawn writes there), and, for an {@link OverlayRoot}, the overlay mounted in
 * that namespace only. So no mount outlives the command, even if the test JVM dies.
 */
final class Nspawn {
    /** Options every container gets: no machined, no host files copied in, no journal link. */
    private static final List<String> COMMON = List.of("-q", "--register=no", "--keep-unit",
            "--timezone=off", "--link-journal=no");

    private Nspawn() {
    }

    /**
     * A one-shot container running {@code sh -c script} as PID 2 (a stub init reaps), env from {@link Exec#ENV}.
     *
     * @param privateNetwork true: only a loopback (tests); false: the host network (cache build, apt)
     */
    static List<String> oneShot(Path root, String machine, boolean privateNetwork, String script) {
        return privateMounts(null, oneShotNspawn(root, machine, privateNetwork, script));
    }

    /** The systemd-nspawn part of {@link #oneShot}, to be wrapped by {@link #privateMounts}. */
    static List<String> oneShotNspawn(Path root, String machine, boolean privateNetwork, String script) {
        List<String> nspawn = new ArrayList<>(List.of("systemd-nspawn", "-D", root.toString(), "-M", machine));
        nspawn.addAll(COMMON);
        nspawn.add("--as-pid2");
        nspawn.add("--console=pipe"); // plain stdio: no pty, so no CRLF line ends
        nspawn.add(privateNetwork ? "--private-network" : "--resolv-conf=copy-host");
        if (privateNetwork) {
            nspawn.add("--resolv-conf=off");
        }
        Exec.ENV.forEach((k, v) -> nspawn.add("--setenv=" + k + "=" + v));
        nspawn.addAll(List.of("/bin/sh", "-c", script));
        return nspawn;
    }

    /**
     * Wraps {@code nspawn} (argv starting with systemd-nspawn) in a private mount namespace with a tmpfs
     * on /run/systemd and, when {@code overlay} is given, the overlay mounted at its merged folder first.
     * The shell execs nspawn, so the returned command's PID is nspawn's.
     */
    static List<String> privateMounts(OverlayRoot overlay, List<String> nspawn) {
        List<String> argv = new ArrayList<>(List.of("unshare", "-m", "--propagation", "private", "sh", "-c"));
        if (overlay == null) {
            argv.add("mount -t tmpfs -o mode=0755 tmpfs /run/systemd && exec \"$@\"");
            argv.add("sh");
        } else {
            argv.add("mount -t tmpfs -o mode=0755 tmpfs /run/systemd"
                    + " && mount -t overlay overlay -o \"lowerdir=$1,upperdir=$2,workdir=$3\" \"$4\""
                    + " && shift 4 && exec \"$@\"");
            argv.add("sh");
            argv.add(overlay.lower().toString());
            argv.add(overlay.upper().toString());
            argv.add(overlay.work().toString());
            argv.add(overlay.merged().toString());
        }
        argv.addAll(nspawn);
        return argv;
    }
}
