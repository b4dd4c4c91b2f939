package io.warren.testlab;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Removes what crashed earlier lab runs left behind: namespaces named {@code wl<pid>-...} whose creator
 * PID is no longer alive (their processes stopped by PID first), and WireGuard UAPI sockets named by
 * {@link NetLab#uniqueName} whose creator is dead and that no server answers. Objects of live runs (other
 * builds on the same machine) are never touched.
 */
final class StaleSweeper {
    private StaleSweeper() {
    }

    static void sweep(NetLab lab) {
        ExecResult list = Commands.run(lab.scratchDir(), List.of(lab.ip(), "netns", "list"));
        if (list.ok()) {
            for (String name : staleNamespaces(list.stdout(), StaleSweeper::alive)) {
                Netns ns = new Netns(name, lab);
                NetLab.stopRemaining(ns);
                ns.delete();
            }
        }
        for (Path sock : NetLab.listDir(NetLab.wireguardSocketDir(), "*.sock")) {
            String file = sock.getFileName().toString();
            String ifname = file.substring(0, file.length() - ".sock".length());
            Optional<Long> creator = LabNames.ifnameCreator(ifname);
            if (creator.isPresent() && !alive(creator.get()) && NetLab.isDeadSocket(sock)) {
                Commands.deleteQuietly(sock);
            }
        }
    }

    /**
     * @param ipNetnsList output of {@code ip netns list} (lines like {@code name (id: 3)} or {@code name})
     * @param isAlive     PID liveness test
     * @return lab namespaces whose creator PID is dead
     */
    static List<String> staleNamespaces(String ipNetnsList, java.util.function.LongPredicate isAlive) {
        List<String> stale = new ArrayList<>();
        for (String line : ipNetnsList.split("\n")) {
            String name = line.trim();
            int space = name.indexOf(' ');
            if (space > 0) {
                name = name.substring(0, space);
            }
            if (name.isEmpty()) {
                continue;
            }
            Optional<Long> creator = LabNames.netnsCreator(name);
            if (creator.isPresent() && !isAlive.test(creator.get())) {
                stale.add(name);
            }
        }
        return stale;
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
