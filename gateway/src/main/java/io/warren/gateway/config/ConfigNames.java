package io.warren.gateway.config;

import io.warren.gateway.dns.HostNames;
import java.util.regex.Pattern;

/** Naming rules for interfaces, tunnels, pools and peers. */
final class ConfigNames {
    private static final Pattern IFNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,14}");

    private ConfigNames() {
    }

    /** A name usable as a Linux network device name. */
    static boolean isValidName(String s) {
        return IFNAME.matcher(s).matches();
    }

    /** A peer name: one DNS label (it becomes {@code NAME.<local-domain>}). */
    static boolean isValidPeerName(String s) {
        return HostNames.isLabel(s);
    }
}
