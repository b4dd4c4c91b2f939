package io.warren.gateway.log;

import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Installs the {@link JournalFormatter} on the root logger, writing to stderr. */
public final class LogSetup {
    private LogSetup() {
    }

    /** Replaces the root logger's handlers with one stderr handler at {@code level}. */
    public static void configure(Level level) {
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        ConsoleHandler handler = new ConsoleHandler();
        handler.setFormatter(JournalFormatter.fromEnvironment());
        handler.setLevel(level);
        root.addHandler(handler);
        root.setLevel(level);
    }
}
