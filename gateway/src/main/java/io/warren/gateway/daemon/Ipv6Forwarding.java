package io.warren.gateway.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * IPv6 forwarding of one device, the part rtnetlink cannot do: the kernel accepts no IPv6 devconf
 * in RTM_SETLINK (inet6_set_link_af takes only the token and the address generation mode), and
 * IPv6 forwards only when {@code net.ipv6.conf.all.forwarding} is 1 or, from Linux 6.17, when the
 * input device's {@code net.ipv6.conf.DEV.force_forwarding} is 1. So the per-device switch is a
 * write to {@code /proc/sys/net/ipv6/conf/DEV/force_forwarding}, which the hardened unit's
 * ProtectKernelTunables=yes (read-only /proc/sys) and ProcSubset=pid (no /proc/sys) refuse; the
 * caller then logs what the administrator has to set. Files are read in the calling thread's
 * network namespace.
 */
interface Ipv6Forwarding {
    /** Whether the host forwards IPv6 on every device ({@code all.forwarding = 1}); empty if unreadable. */
    Optional<Boolean> allForwarding();

    /** {@code DEV/force_forwarding}; empty when the kernel has no such setting or it cannot be read. */
    Optional<Boolean> forceForwarding(String device);

    /** Writes {@code DEV/force_forwarding}. */
    void setForceForwarding(String device, boolean on) throws IOException;

    /** The files under {@code /proc/sys/net/ipv6/conf}. */
    static Ipv6Forwarding procSys() {
        return procSys(Path.of("/proc/sys/net/ipv6/conf"));
    }

    /** The files under {@code conf} (a test folder, or the real one). */
    static Ipv6Forwarding procSys(Path conf) {
        return new Ipv6Forwarding() {
            @Override
            public Optional<Boolean> allForwarding() {
                return read(conf.resolve("all").resolve("forwarding"));
            }

            @Override
            public Optional<Boolean> forceForwarding(String device) {
                return read(conf.resolve(device).resolve("force_forwarding"));
            }

            @Override
            public void setForceForwarding(String device, boolean on) throws IOException {
                Files.writeString(conf.resolve(device).resolve("force_forwarding"), on ? "1\n" : "0\n",
                        StandardCharsets.US_ASCII);
            }

            private Optional<Boolean> read(Path p) {
                try {
                    return Optional.of(!Files.readString(p, StandardCharsets.US_ASCII).trim().equals("0"));
                } catch (NoSuchFileException e) {
                    return Optional.empty();
                } catch (IOException | RuntimeException e) {
                    return Optional.empty();
                }
            }
        };
    }
}
