package io.warren.gateway.isolation;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.ref.WeakReference;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A class loader that defines the classes {@code isolated} selects itself, from the bytes its parent
 * would load, and delegates every other class to the parent. What it defines dies with it: once
 * nothing refers to the loader, any of its classes or their objects, a full GC unloads them and frees
 * their metaspace (the application's own loader never unloads anything).
 *
 * <p>Used for code that only start-up, reloads and the command line need (the TOML parser, picocli),
 * so a running daemon does not keep it resident (issue #9). The isolated code may use the parent's
 * classes only through public members: its package, even if it has the same name as one of the
 * parent's, is another run-time package. What it hands back must be of the parent's classes (or the
 * JDK's), or the loader stays alive.
 */
public final class ChildFirstLoader extends ClassLoader {
    static {
        registerAsParallelCapable();
    }

    /** Every loader made, weakly: {@link #alive} tells whether a full GC has collected them all. */
    private static final List<WeakReference<ChildFirstLoader>> MADE = new ArrayList<>();

    private final Predicate<String> isolated;

    /**
     * @param name     the loader's name (shown in stack traces and {@code jcmd VM.classloader_stats})
     * @param parent   where the class bytes come from, and the classes {@code isolated} rejects
     * @param isolated which binary class names this loader defines itself
     */
    public ChildFirstLoader(String name, ClassLoader parent, Predicate<String> isolated) {
        super(name, parent);
        this.isolated = isolated;
        synchronized (MADE) {
            MADE.removeIf(r -> r.refersTo(null));
            MADE.add(new WeakReference<>(this));
        }
    }

    /**
     * How many of the loaders made so far the GC has not collected yet. After a full GC it is 0 when
     * every one was released and unloaded; a loader whose code a JIT compilation still holds survives
     * that GC (the compile task keeps its classes alive) and goes at a later one.
     */
    public static int alive() {
        synchronized (MADE) {
            MADE.removeIf(r -> r.refersTo(null));
            return MADE.size();
        }
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!isolated.test(name)) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                c = findClass(name);
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        String resource = name.replace('.', '/') + ".class";
        try (InputStream in = getParent().getResourceAsStream(resource)) {
            if (in == null) {
                throw new ClassNotFoundException(name);
            }
            byte[] bytes = in.readAllBytes();
            return defineClass(name, bytes, 0, bytes.length);
        } catch (IOException e) {
            throw new ClassNotFoundException(name, new UncheckedIOException(e));
        }
    }

    /** Public method {@code name} of class {@code className} as this loader defines it. */
    public Method method(String className, String name, Class<?>... parameterTypes) {
        try {
            return loadClass(className).getMethod(name, parameterTypes);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot load " + className + "." + name, e);
        }
    }

    /**
     * Calls static method {@code m} (of an isolated class) with {@code args}; what it throws is thrown
     * as is (errors and unchecked exceptions; a checked one is wrapped in IllegalStateException).
     */
    public static Object invokeStatic(Method m, Object... args) {
        try {
            return m.invoke(null, args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot call " + m, e);
        }
    }

    /** The top-level class of a binary name ({@code a.B$C} is {@code a.B}). */
    public static String topLevel(String binaryName) {
        int dollar = binaryName.indexOf('$');
        return dollar < 0 ? binaryName : binaryName.substring(0, dollar);
    }
}
