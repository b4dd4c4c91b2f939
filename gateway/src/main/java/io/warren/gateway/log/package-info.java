/**
 * Logging that fits journald and a busy data path.
 *
 * <p>{@link io.warren.gateway.log.JournalFormatter} writes one line per record. Under systemd
 * ({@code JOURNAL_STREAM} set) it prefixes the sd-daemon(3) priority ({@code <3>} error ...
 * {@code <7>} debug) and leaves the timestamp to journald, so {@code journalctl} shows no duplicate
 * timestamp and {@code journalctl -p warning} filters correctly; elsewhere it writes an ISO-8601 UTC
 * timestamp and the level. {@link io.warren.gateway.log.RateLimitedLog} bounds per-packet events
 * (drops, bad handshakes) to a few lines per key and interval and reports how many it suppressed.
 * {@link io.warren.gateway.log.DropReport} is the periodic drops summary: one line per interface and
 * minute naming the drop counters that grew (the data path itself logs nothing per packet).
 *
 * <p>Secrets are never passed to a logger: keys and MACs have no printable form anywhere in Warren.
 *
 * <p>Threading: the formatter is stateless; {@code RateLimitedLog} is thread-safe (a lock per call,
 * taken only on the slow path of a logged event); {@code DropReport} has one caller, the daemon's
 * report timer, and takes the time as an argument.
 */
package io.warren.gateway.log;
