/**
 * The daemon's contract with systemd: readiness notification ({@code sd_notify(3)}) for
 * {@code Type=notify} and log lines that journald files under the right priority.
 *
 * <p>{@link io.warren.gateway.systemd.NotifyMessage} is the sans-I/O part (what to say);
 * {@link io.warren.gateway.systemd.SdNotify} is the thin shell that sends it as one datagram to
 * {@code $NOTIFY_SOCKET} through jnr-unixsocket (the JDK has no AF_UNIX datagram channel).
 * Notification is best effort and never throws into the caller: outside systemd it does nothing.
 *
 * <p>Threading: {@code SdNotify} is safe for concurrent use (sends are serialised); the formatter is
 * stateless.
 */
package io.warren.gateway.systemd;
