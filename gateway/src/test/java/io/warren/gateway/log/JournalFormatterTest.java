package io.warren.gateway.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class JournalFormatterTest {
    private static LogRecord record(Level level, String msg) {
        LogRecord r = new LogRecord(level, msg);
        r.setLoggerName("io.warren.gateway.Thing");
        r.setMillis(1_700_000_000_123L);
        return r;
    }

    @Test
    void underJournaldThePriorityPrefixReplacesTheTimestamp() {
        JournalFormatter f = new JournalFormatter(true);
        assertEquals("<4>Thing: peer timed out\n", f.format(record(Level.WARNING, "peer timed out")));
        assertEquals("<3>Thing: x\n", f.format(record(Level.SEVERE, "x")));
        assertEquals("<6>Thing: x\n", f.format(record(Level.INFO, "x")));
        assertEquals("<7>Thing: x\n", f.format(record(Level.FINE, "x")));
    }

    @Test
    void elsewhereLinesCarryAnIsoTimestamp() {
        JournalFormatter f = new JournalFormatter(false);
        assertEquals("2023-11-14T22:13:20.123Z WARN  Thing: a b\n", f.format(record(Level.WARNING, "a\nb")));
    }

    @Test
    void stackTraceLinesKeepThePriority() {
        LogRecord r = record(Level.SEVERE, "failed");
        r.setThrown(new IllegalStateException("boom"));
        String out = new JournalFormatter(true).format(r);
        for (String line : out.split("\n")) {
            assertTrue(line.startsWith("<3>"), line);
        }
    }

    @Test
    void rateLimitAllowsABurstPerIntervalAndCountsSuppressed() {
        RateLimitedLog log = new RateLimitedLog(java.util.logging.Logger.getAnonymousLogger(), 1_000_000_000L, 2);
        long t = 5_000;
        assertEquals(new RateLimitedLog.Log(0), log.permit("bad-mac", t));
        assertEquals(new RateLimitedLog.Log(0), log.permit("bad-mac", t + 1));
        assertInstanceOf(RateLimitedLog.Suppress.class, log.permit("bad-mac", t + 2));
        assertInstanceOf(RateLimitedLog.Suppress.class, log.permit("bad-mac", t + 3));
        assertEquals(new RateLimitedLog.Log(0), log.permit("other", t + 3));
        assertEquals(new RateLimitedLog.Log(2), log.permit("bad-mac", t + 1_000_000_000L));
    }
}
