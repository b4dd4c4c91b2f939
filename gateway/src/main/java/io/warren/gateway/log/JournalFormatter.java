package io.warren.gateway.log;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/** One line per log record, with the sd-daemon(3) priority prefix under journald. */
public final class JournalFormatter extends Formatter {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final boolean journald;

    /** @param journald true when stderr goes to journald (prefix priorities, no timestamp) */
    public JournalFormatter(boolean journald) {
        this.journald = journald;
    }

    /** Journald mode when systemd connected the output to the journal ({@code JOURNAL_STREAM}). */
    public static JournalFormatter fromEnvironment() {
        String stream = System.getenv("JOURNAL_STREAM");
        return new JournalFormatter(stream != null && !stream.isEmpty());
    }

    /** The syslog priority for a JUL level: 3 err, 4 warning, 5 notice, 6 info, 7 debug. */
    public static int priority(Level level) {
        int v = level.intValue();
        if (v >= Level.SEVERE.intValue()) {
            return 3;
        }
        if (v >= Level.WARNING.intValue()) {
            return 4;
        }
        if (v >= Level.INFO.intValue()) {
            return 6;
        }
        return 7;
    }

    static String levelName(Level level) {
        switch (priority(level)) {
            case 3: return "ERROR";
            case 4: return "WARN ";
            case 6: return "INFO ";
            default: return "DEBUG";
        }
    }

    @Override
    public String format(LogRecord record) {
        StringBuilder sb = new StringBuilder(128);
        if (journald) {
            sb.append('<').append(priority(record.getLevel())).append('>');
        } else {
            sb.append(TIME.format(Instant.ofEpochMilli(record.getMillis()))).append(' ')
                    .append(levelName(record.getLevel())).append(' ');
        }
        String logger = record.getLoggerName();
        if (logger != null) {
            sb.append(logger.substring(logger.lastIndexOf('.') + 1)).append(": ");
        }
        sb.append(oneLine(formatMessage(record)));
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(trace));
            // Each continuation line keeps the priority, so journald files it with the record.
            for (String line : trace.toString().split("\n")) {
                sb.append('\n');
                if (journald) {
                    sb.append('<').append(priority(record.getLevel())).append('>');
                }
                sb.append("    ").append(line.stripTrailing());
            }
        }
        return sb.append('\n').toString();
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.replace('\n', ' ').replace('\r', ' ');
    }
}
