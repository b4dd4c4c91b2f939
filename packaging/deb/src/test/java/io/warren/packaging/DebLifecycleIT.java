package io.warren.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The package's whole life in a throwaway Debian bookworm root (a cached debootstrap root plus an
 * overlay; one-shot systemd-nspawn containers without network, so apt resolves Depends from the
 * cached archives): install with apt, upgrade over a locally edited conffile, remove, purge.
 *
 * <p>Proves: apt can satisfy Depends on bookworm; files, the {@code warren} system user and the
 * modes of /etc/warren (0750 root:warren) and its config (0640: it may hold keys); the launcher runs
 * the CLI on the Debian JRE ({@code --version}, {@code genkey | pubkey}); bash completes
 * {@code warren ge} from /usr/share/bash-completion/completions/warren; the unit is enabled and is
 * clean under {@code systemd-analyze verify} and scores at most 2.0 in {@code security --offline};
 * an upgrade keeps a locally modified conffile (force-confold, non-interactive) and parks the new one
 * as .dpkg-dist; remove keeps the conffiles; purge removes them, /var/lib/warren and the user.
 */
class DebLifecycleIT {
    private static final String LOCAL_EDIT = "# local edit kept across upgrades";
    private static final String UPGRADE_EDIT = "# default changed by the upgrade";
    /** Non-interactive conffile handling as an unattended upgrade does it. */
    private static final String APT_INSTALL = "apt-get install -q -y --no-install-recommends"
            + " -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold ";

    @Test
    @Timeout(value = 15, unit = java.util.concurrent.TimeUnit.MINUTES)
    void installUpgradeRemovePurge(@TempDir Path tmp) throws Exception {
        Requirements.root("debootstrap, overlay mounts and systemd-nspawn");
        Requirements.tool("debootstrap", "debootstrap");
        Requirements.tool("systemd-nspawn", "systemd-container");
        Requirements.tool("unshare", "util-linux");
        Requirements.tool("dpkg-deb", "dpkg");
        Path deb = BuiltDeb.path();
        String version = BuiltDeb.version();
        String upVersion = version + "+upgradetest1";
        Path upgrade = BuiltDeb.repack(deb, upVersion, UPGRADE_EDIT, tmp);
        Path base = DebianCache.rootFor(deb);

        try (OverlayRoot root = new OverlayRoot(base, "deblife")) {
            root.put(deb, "/var/tmp/warren.deb");
            root.put(upgrade, "/var/tmp/warren-upgrade.deb");
            long t0 = System.nanoTime();

            // 1. install: apt pulls openjdk-17-jre-headless and the rest from the cached archives.
            root.check("install", Duration.ofMinutes(5), APT_INSTALL + "/var/tmp/warren.deb");
            Map<String, String> f = root.facts("after install", String.join("\n",
                    "echo status=$(dpkg-query -W -f='${Status} ${Version}' warren)",
                    "echo java=$(dpkg-query -W -f='${Status}' openjdk-17-jre-headless)",
                    "for p in /usr/bin/warren /usr/share/warren/lib/warren-gateway-" + version + ".jar"
                            + " /lib/systemd/system/warren.service /etc/default/warren /usr/share/man/man1/warren.1.gz"
                            + " /usr/share/doc/warren/copyright /usr/share/doc/warren/changelog.gz"
                            + " /usr/share/lintian/overrides/warren /usr/share/bash-completion/completions/warren;"
                            + " do echo \"mode:$p=$(stat -c '%a %U %G' $p)\"; done",
                    "echo \"mode:/etc/warren=$(stat -c '%a %U %G' /etc/warren)\"",
                    "echo \"mode:/etc/warren/warren.toml=$(stat -c '%a %U %G' /etc/warren/warren.toml)\"",
                    "echo \"mode:/var/lib/warren=$(stat -c '%a %U %G' /var/lib/warren)\"",
                    "echo passwd=$(getent passwd warren)",
                    "echo uid=$(id -u warren)",
                    "echo enabled=$(readlink /etc/systemd/system/multi-user.target.wants/warren.service)",
                    "echo version=$(warren --version 2>&1)",
                    "echo completion=$(bash -c '. /usr/share/bash-completion/completions/warren;"
                            + " COMP_WORDS=(warren ge); COMP_CWORD=1; COMP_LINE=\"warren ge\"; COMP_POINT=9;"
                            + " _complete_warren; echo ${COMPREPLY[*]}')",
                    "k=$(warren genkey); echo genkey=$k; echo pubkey=$(printf '%s\\n' \"$k\" | warren pubkey)",
                    "echo verify=$(systemd-analyze verify --man=no warren.service 2>&1 | tr '\\n' '|')",
                    "systemd-analyze security --offline=true --threshold=20 /lib/systemd/system/warren.service"
                            + " >/var/tmp/security.txt 2>&1; echo security_rc=$?",
                    "echo security=$(tail -n 1 /var/tmp/security.txt)"));
            assertEquals("install ok installed " + version, f.get("status"), "dpkg status after install");
            assertEquals("install ok installed", f.get("java"), "the JRE came in through Depends");
            assertEquals("755 root root", f.get("mode:/usr/bin/warren"));
            assertEquals("644 root root", f.get("mode:/usr/share/warren/lib/warren-gateway-" + version + ".jar"));
            for (String p : new String[] {"/lib/systemd/system/warren.service", "/etc/default/warren",
                    "/usr/share/man/man1/warren.1.gz", "/usr/share/doc/warren/copyright",
                    "/usr/share/doc/warren/changelog.gz", "/usr/share/lintian/overrides/warren",
                    "/usr/share/bash-completion/completions/warren"}) {
                assertEquals("644 root root", f.get("mode:" + p), p);
            }
            assertEquals("750 root warren", f.get("mode:/etc/warren"), "config folder: keys may live here");
            assertEquals("640 root warren", f.get("mode:/etc/warren/warren.toml"), "config may hold keys");
            assertEquals("750 warren warren", f.get("mode:/var/lib/warren"), "state folder");
            assertTrue(f.get("passwd").matches("warren:x:\\d+:\\d+:Warren VPN gateway[^:]*:/var/lib/warren:/usr/sbin/nologin"),
                    "system user: " + f.get("passwd"));
            assertTrue(Integer.parseInt(f.get("uid")) < 1000, "warren is a system user (uid < 1000): " + f.get("uid"));
            assertEquals("/lib/systemd/system/warren.service", f.get("enabled"), "enabled for multi-user.target");
            assertEquals("genkey genpsk", f.get("completion"), "bash completes 'warren ge' from the shipped script");
            assertKey(f.get("genkey"), "warren genkey");
            assertKey(f.get("pubkey"), "warren pubkey");
            assertNotEquals(f.get("genkey"), f.get("pubkey"));
            assertEquals("", f.get("verify"), "systemd-analyze verify warren.service must be clean");
            assertEquals("0", f.get("security_rc"), "systemd-analyze security exposure must be <= 2.0: "
                    + f.get("security"));
            String versionOutput = f.get("version");

            // 2. upgrade over a locally edited conffile whose packaged default also changed.
            root.check("local edit", Duration.ofMinutes(1), "echo '" + LOCAL_EDIT + "' >> /etc/warren/warren.toml");
            root.check("upgrade", Duration.ofMinutes(5), APT_INSTALL + "/var/tmp/warren-upgrade.deb");
            Map<String, String> u = root.facts("after upgrade", String.join("\n",
                    "echo status=$(dpkg-query -W -f='${Status} ${Version}' warren)",
                    "echo kept=$(grep -c -x -F '" + LOCAL_EDIT + "' /etc/warren/warren.toml)",
                    "echo dist=$(grep -c -x -F '" + UPGRADE_EDIT + "' /etc/warren/warren.toml.dpkg-dist)",
                    "echo \"mode:/etc/warren=$(stat -c '%a %U %G' /etc/warren)\"",
                    "echo \"mode:/etc/warren/warren.toml=$(stat -c '%a %U %G' /etc/warren/warren.toml)\"",
                    "echo uid=$(id -u warren)"));
            assertEquals("install ok installed " + upVersion, u.get("status"), "dpkg status after upgrade");
            assertEquals("1", u.get("kept"), "the local edit of warren.toml survived the upgrade");
            assertEquals("1", u.get("dist"), "the new default is parked as warren.toml.dpkg-dist");
            assertEquals("750 root warren", u.get("mode:/etc/warren"));
            assertEquals("640 root warren", u.get("mode:/etc/warren/warren.toml"));
            assertEquals(f.get("uid"), u.get("uid"), "the upgrade keeps the same warren user");

            // 3. remove: the program goes, conffiles, state and the user stay.
            root.check("remove", Duration.ofMinutes(3), "apt-get remove -q -y warren");
            Map<String, String> r = root.facts("after remove", String.join("\n",
                    "echo status=$(dpkg-query -W -f='${Status}' warren)",
                    "echo bin=$(test -e /usr/bin/warren && echo present || echo gone)",
                    "echo unit=$(test -e /lib/systemd/system/warren.service && echo present || echo gone)",
                    "echo kept=$(grep -c -x -F '" + LOCAL_EDIT + "' /etc/warren/warren.toml)",
                    "echo default=$(test -e /etc/default/warren && echo present || echo gone)",
                    "echo user=$(getent passwd warren >/dev/null && echo present || echo gone)"));
            assertEquals("deinstall ok config-files", r.get("status"), "dpkg status after remove");
            assertEquals("gone", r.get("bin"));
            assertEquals("gone", r.get("unit"));
            assertEquals("1", r.get("kept"), "remove keeps the (edited) conffile");
            assertEquals("present", r.get("default"), "remove keeps /etc/default/warren");
            assertEquals("present", r.get("user"), "remove keeps the user (files may still be owned by it)");

            // 4. purge: conffiles, state, the user and group, the enablement symlink all go.
            root.check("purge", Duration.ofMinutes(3), "dpkg --purge warren");
            Map<String, String> p = root.facts("after purge", String.join("\n",
                    "echo status=$(dpkg-query -W -f='${Status}' warren 2>/dev/null || echo not-installed)",
                    "echo etc=$(test -e /etc/warren && echo present || echo gone)",
                    "echo default=$(test -e /etc/default/warren && echo present || echo gone)",
                    "echo state=$(test -e /var/lib/warren && echo present || echo gone)",
                    "echo user=$(getent passwd warren >/dev/null && echo present || echo gone)",
                    "echo group=$(getent group warren >/dev/null && echo present || echo gone)",
                    "echo wants=$(test -L /etc/systemd/system/multi-user.target.wants/warren.service"
                            + " && echo present || echo gone)",
                    "echo masked=$(test -L /etc/systemd/system/warren.service && echo present || echo gone)"));
            assertTrue(p.get("status").equals("not-installed") || p.get("status").startsWith("unknown ok not-installed"),
                    "dpkg status after purge: " + p.get("status"));
            assertEquals("gone", p.get("etc"), "purge removes /etc/warren");
            assertEquals("gone", p.get("default"), "purge removes /etc/default/warren");
            assertEquals("gone", p.get("state"), "purge removes /var/lib/warren");
            assertEquals("gone", p.get("user"), "purge removes the warren user");
            assertEquals("gone", p.get("group"), "purge removes the warren group");
            assertEquals("gone", p.get("wants"), "purge removes the enablement symlink");
            assertEquals("gone", p.get("masked"), "purge leaves no mask behind");
            DebianCache.log("lifecycle in the container took " + (System.nanoTime() - t0) / 1_000_000_000 + " s");

            // Last, so that a version bug does not hide the lifecycle results above.
            assertEquals("warren " + version, versionOutput,
                    "warren --version must report the package version (the jar's Implementation-Version)");
        }
    }

    /** A WireGuard key: 44 characters of base64 encoding 32 bytes. */
    private static void assertKey(String s, String what) {
        assertTrue(s != null && s.length() == 44, what + " printed " + s);
        assertEquals(32, Base64.getDecoder().decode(s).length, what);
        assertFalse(s.isBlank());
    }
}
