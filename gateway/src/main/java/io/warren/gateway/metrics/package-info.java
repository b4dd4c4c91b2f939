/**
 * Prometheus metrics: a Micrometer {@code PrometheusMeterRegistry} and a small HTTP endpoint that
 * serves it at {@code /metrics} on the configured address (loopback by default).
 *
 * <p>Meters are registered once, when a peer, tunnel or pool is added, and removed with it; the data
 * path only increments counters it already holds (no lookup, no allocation per packet).
 *
 * <p>Threading: the registry is thread-safe; the HTTP endpoint runs on one daemon thread of its own.
 */
package io.warren.gateway.metrics;
