package io.warren.testlab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import jnr.ffi.LibraryLoader;
import jnr.ffi.annotations.SaveError;

/**
 * The few libc calls the lab needs that the JDK lacks: {@code setns(2)} to move the calling thread into
 * a network namespace, and {@code geteuid(2)}. See setns(2): joining a network namespace is allowed for
 * a single thread of a multi-threaded process (unlike user or mount namespaces).
 */
final class NativeNs {
    /** CLONE_NEWNET from linux/sched.h. */
    static final int CLONE_NEWNET = 0x40000000;
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;

    /** libc bindings; errno saved after each call. */
    public interface LibC {
        @SaveError
        int open(String path, int flags);

        @SaveError
        int setns(int fd, int nstype);

        int close(int fd);

        int geteuid();
    }

    private static volatile LibC libc;

    private NativeNs() {
    }

    static LibC libc() {
        LibC l = libc;
        if (l == null) {
            synchronized (NativeNs.class) {
                l = libc;
                if (l == null) {
                    l = LibraryLoader.create(LibC.class).load("c");
                    libc = l;
                }
            }
        }
        return l;
    }

    /** Moves the calling thread into the network namespace bound at {@code nsPath}. */
    static void enterNetns(Path nsPath) {
        LibC c = libc();
        int fd = c.open(nsPath.toString(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            throw new LabException("cannot open " + nsPath + ": errno " + errno(c));
        }
        try {
            if (c.setns(fd, CLONE_NEWNET) != 0) {
                throw new LabException("setns(" + nsPath + ", CLONE_NEWNET) failed: errno " + errno(c));
            }
        } finally {
            c.close(fd);
        }
    }

    /** @return the inode of the calling thread's network namespace ({@code /proc/thread-self/ns/net}) */
    static long currentNetnsInode() {
        try {
            String link = Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString(); // net:[4026531840]
            return Long.parseLong(link.substring(link.indexOf('[') + 1, link.indexOf(']')));
        } catch (IOException | RuntimeException e) {
            throw new LabException("cannot read /proc/thread-self/ns/net: " + e, e);
        }
    }

    /** @return the inode of the namespace file bound at {@code nsPath} */
    static long inode(Path nsPath) {
        try {
            return ((Number) Files.getAttribute(nsPath, "unix:ino")).longValue();
        } catch (IOException e) {
            throw new LabException("cannot stat " + nsPath + ": " + e.getMessage(), e);
        }
    }

    private static int errno(LibC c) {
        return jnr.ffi.Runtime.getRuntime(c).getLastError();
    }
}
