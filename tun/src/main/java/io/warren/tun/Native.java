package io.warren.tun;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;

/** The {@link LibC} binding, loaded once per JVM (jffi's first load takes a few hundred ms). */
final class Native {
    static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
    static final Runtime RUNTIME = Runtime.getRuntime(LIBC);

    private Native() {
    }

    /** errno of the last failed call on this thread. */
    static int errno() {
        return RUNTIME.getLastError();
    }

    /** Closes {@code fd} if it is valid, ignoring errors (used on cleanup paths only). */
    static void closeQuietly(int fd) {
        if (fd >= 0) {
            LIBC.close(fd);
        }
    }
}
