package io.warren.gateway.dns;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Bounded cache of rendered responses keyed by question (name case-insensitive, type, class, DO, CD).
 * Least-recently-used entries are evicted beyond {@code maxEntries}; expired entries are removed
 * when looked up. Lifetimes come from {@link CachePolicy} (RFC 2181 §5.2, RFC 2308 §5).
 *
 * <p>Thread-safe (every method holds the cache's lock): the resolver's thread fills it, and the
 * receive threads of the listening UDP sockets answer hits from it. A look-up with a
 * {@link CacheKey#probe()} allocates nothing.
 */
final class DnsCache {
    private final int maxEntries;
    private final LinkedHashMap<CacheKey, Entry> entries;
    private long evictions;
    private long expirations;

    /** @param maxEntries maximum number of cached responses; 0 disables the cache */
    DnsCache(int maxEntries) {
        if (maxEntries < 0) {
            throw new IllegalArgumentException("cache size " + maxEntries + " < 0");
        }
        this.maxEntries = maxEntries;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<CacheKey, Entry> eldest) {
                if (size() > DnsCache.this.maxEntries) {
                    evictions++;
                    return true;
                }
                return false;
            }
        };
    }

    /**
     * A cached response and the {@link LocalZone#version()} at which its name was last seen not to
     * be local: while the zone is unchanged, a hit needs no local-zone lookup (the fast path).
     */
    static final class Entry {
        final ResponseTemplate template;
        volatile long notLocalAt = NEVER_CHECKED;

        Entry(ResponseTemplate template) {
            this.template = template;
        }
    }

    /** {@link Entry#notLocalAt} of an entry whose name has not been checked against the local zone. */
    static final long NEVER_CHECKED = -1;

    /** @return the fresh entry for {@code key}, or null */
    synchronized Entry entry(CacheKey key, long now) {
        Entry e = entries.get(key);
        if (e == null) {
            return null;
        }
        if (!e.template.isFresh(now)) {
            entries.remove(key);
            expirations++;
            return null;
        }
        return e;
    }

    /** @return the fresh response for {@code key}, or null */
    synchronized ResponseTemplate get(CacheKey key, long now) {
        Entry e = entry(key, now);
        return e == null ? null : e.template;
    }

    /** Stores {@code template} unless its lifetime is 0 or the cache is disabled. */
    synchronized void put(CacheKey key, ResponseTemplate template) {
        if (maxEntries == 0 || template.lifetimeSeconds() <= 0) {
            return;
        }
        entries.put(key, new Entry(template));
    }

    synchronized int size() {
        return entries.size();
    }

    synchronized long evictions() {
        return evictions;
    }

    synchronized long expirations() {
        return expirations;
    }

    synchronized void clear() {
        entries.clear();
    }
}
