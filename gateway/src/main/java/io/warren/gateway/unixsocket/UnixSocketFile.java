package io.warren.gateway.unixsocket;

import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Set;

/**
 * A listening AF_UNIX socket file at any path with any mode, created without a window in which it
 * is reachable with the wrong mode.
 *
 * <p>How: {@code bind(2)} creates the file with the process umask and Java cannot set a umask, so
 * the socket is bound in a fresh private directory (0700) next to the target, chmodded there, and
 * {@code rename(2)}d to its public name (atomic). The file's group is the daemon's own (effective)
 * group, as for any file it creates, unless the directory is set-group-ID. A file already at the
 * public name is replaced only when it is a socket nobody answers on (a crashed run's leftover);
 * a live socket or any other kind of file makes {@link #bind} fail. {@link #remove} removes the
 * public name only while it is still this instance's file (same inode). Not thread-safe.
 */
public final class UnixSocketFile {
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private final Path path;
    private Object fileKey;

    private UnixSocketFile(Path path) {
        this.path = path;
    }

    /** The public path. */
    public Path path() {
        return path;
    }

    /**
     * Binds a listening socket at {@code path} with permissions {@code mode}. A missing parent
     * directory is created 0755.
     *
     * @throws FileAlreadyExistsException if a live socket or a non-socket file is there
     */
    public static Bound bind(Path path, Set<PosixFilePermission> mode, int backlog) throws IOException {
        Objects.requireNonNull(path, "path");
        Path abs = path.toAbsolutePath();
        Path dir = abs.getParent();
        UnixSocketFile file = new UnixSocketFile(abs);
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        file.refuseIfInUse();
        Path privateDir = Files.createTempDirectory(dir, "." + abs.getFileName() + "-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path staging = privateDir.resolve("s");
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        boolean done = false;
        try {
            channel.bind(UnixDomainSocketAddress.of(staging), backlog);
            Files.setPosixFilePermissions(staging, mode);
            Files.move(staging, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            file.fileKey = Files.readAttributes(abs, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            done = true;
            return new Bound(channel, file);
        } finally {
            Files.deleteIfExists(staging);
            Files.deleteIfExists(privateDir);
            if (!done) {
                channel.close();
            }
        }
    }

    /** Removes the public name if it is still this instance's socket. */
    public void remove() throws IOException {
        try {
            Object current = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            if (fileKey != null && fileKey.equals(current)) {
                Files.deleteIfExists(path);
            }
        } catch (NoSuchFileException gone) {
            // Already removed: nothing to do.
        }
    }

    private void refuseIfInUse() throws IOException {
        int mode;
        try {
            mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException absent) {
            return;
        }
        if ((mode & S_IFMT) != S_IFSOCK) {
            throw new FileAlreadyExistsException(path.toString(), null, "exists and is not a socket");
        }
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            throw new FileAlreadyExistsException(path.toString(), null, "a live process answers on it");
        } catch (ConnectException stale) {
            // ECONNREFUSED: a leftover; the rename replaces it.
        }
    }

    /** A bound listening channel and its socket file. */
    public record Bound(ServerSocketChannel channel, UnixSocketFile file) {
    }
}
