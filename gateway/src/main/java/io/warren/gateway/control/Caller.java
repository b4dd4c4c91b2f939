package io.warren.gateway.control;

/**
 * Who is on the other end of a control connection (SO_PEERCRED).
 *
 * @param user       the caller's user name, or null when unknown
 * @param privileged root or the daemon's own user: may reload and add clients. Anyone else who
 *                   can open the socket (mode 0660: the daemon's group) may only ask for status.
 */
public record Caller(String user, boolean privileged) {

    /** Classifies {@code user} against the daemon's own user name. */
    public static Caller of(String user, String daemonUser) {
        return new Caller(user, user != null && (user.equals("root") || user.equals(daemonUser)));
    }
}
