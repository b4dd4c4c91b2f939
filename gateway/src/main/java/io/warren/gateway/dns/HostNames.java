package io.warren.gateway.dns;

import java.util.regex.Pattern;

/**
 * The syntax of host names (RFC 1123 §2.1, RFC 1035 §2.3.1): labels of 1 to 63 letters, digits and
 * hyphens, neither first nor last a hyphen. One definition for every place a name enters Warren: peer
 * and client names in the config and the control socket, DHCP clients' names (options 12 and 81), the
 * lease journal, and the local zone.
 */
public final class HostNames {
    private static final String LABEL_RE = "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    private static final Pattern LABEL = Pattern.compile(LABEL_RE);
    private static final Pattern RELATIVE = Pattern.compile(LABEL_RE + "(\\." + LABEL_RE + ")*");
    private static final Pattern NAME = Pattern.compile(LABEL_RE + "(\\." + LABEL_RE + ")*\\.?");

    private HostNames() {
    }

    /** One host label, of either letter case. */
    public static boolean isLabel(CharSequence s) {
        return LABEL.matcher(s).matches();
    }

    /** Host labels joined by dots, no trailing dot (a name relative to a domain); length not checked. */
    public static boolean isRelative(CharSequence s) {
        return RELATIVE.matcher(s).matches();
    }

    /** Host labels joined by dots, a trailing dot allowed (absolute form); length not checked. */
    public static boolean isName(CharSequence s) {
        return NAME.matcher(s).matches();
    }
}
