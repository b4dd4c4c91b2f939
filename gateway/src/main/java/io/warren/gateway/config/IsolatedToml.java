package io.warren.gateway.config;

import io.warren.gateway.isolation.ChildFirstLoader;
import java.lang.reflect.Method;

/**
 * Parses TOML in a class loader of its own: {@code TomlReader} and tomlj (with its shaded
 * ANTLR runtime) are defined there, everything else comes from the application's loader. Once the
 * loader is {@linkplain #release released}, nothing refers to it, and the next full GC unloads its
 * ~260 classes and frees the parser's ATN and caches: a running daemon would otherwise keep ~3 MiB of
 * metaspace and heap for a parser it only uses at start-up and on reload (issue #9).
 *
 * <p>Reads in a row (a reload and the line numbers of its problems, tests) share one loader until
 * {@link #release}; the daemon releases it before its full GC after start-up and after each reload.
 * A read with a fresh loader costs some tens of milliseconds more (class definition), which only
 * start-up, reloads and {@code warren check} pay.
 */
final class IsolatedToml {
    private static final String READER = "io.warren.gateway.config.toml.TomlReader";

    /** {@code TomlReader.read} in the current loader, or null after {@link #release}. */
    private static Method cached;

    private IsolatedToml() {
    }

    /** Parses {@code text}; never throws for bad input. */
    static ParsedToml parse(String text) {
        return (ParsedToml) ChildFirstLoader.invokeStatic(reader(), text);
    }

    private static synchronized Method reader() {
        if (cached == null) {
            ChildFirstLoader loader = new ChildFirstLoader("warren-toml", IsolatedToml.class.getClassLoader(),
                    name -> name.startsWith("org.tomlj.") || ChildFirstLoader.topLevel(name).equals(READER));
            cached = loader.method(READER, "read", String.class);
        }
        return cached;
    }

    /** The loader of the next read's reader (for tests: it must be unloadable after {@link #release}). */
    static synchronized ClassLoader loader() {
        return reader().getDeclaringClass().getClassLoader();
    }

    /** Drops the current loader: the next full GC unloads tomlj; the next read makes a new loader. */
    static synchronized void release() {
        cached = null;
    }
}
