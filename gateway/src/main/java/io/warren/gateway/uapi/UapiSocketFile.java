package io.warren.gateway.uapi;

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
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;

/**
 * Creates and removes the UAPI socket file {@code <dir>/<iface>.sock}, the way wireguard-go does,
 * but without a window in which the socket is reachable with the wrong mode.
 *
 * <p>The race and how it is closed: {@code bind(2)} creates the socket file with the process umask
 * (often 0644 or 0755 effective, i.e. connectable by anyone), and Java cannot set the umask per thread.
 * So the socket is bound inside a fresh private directory (mode 0700, created with that mode, so only
 * the owner can reach anything in it), chmodded to 0600 there, and only then {@code rename(2)}d to its
 * public name. rename is atomic: a client sees the old (stale) socket or the new one with 0600, never
 * a half-made one. The directory itself is created 0755 when missing (an existing one is left alone:
 * it is shared with wireguard-go and others).
 *
 * <p>A file already at the public name is replaced only when it is a socket nobody answers on (a
 * crashed run's leftover: connect gives ECONNREFUSED); a live socket or any other kind of file makes
 * {@link #bind} fail. Remaining race, documented: two processes starting the same interface at the same
 * instant can both see it stale; the later rename wins.
 *
 * <p>On close the public name is removed only if it is still the file this instance created (same
 * inode), so it never removes a successor's socket. Not thread-safe; owned by {@link UapiServer}.
 */
final class UapiSocketFile {
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private final Path path;
    private Object fileKey;

    private UapiSocketFile(Path path) {
        this.path = path;
    }

    /** The public path: {@code <dir>/<iface>.sock}. */
    Path path() {
        return path;
    }

    /**
     * Binds a listening socket at {@code dir/iface.sock} with mode 0600 (see the class comment).
     *
     * @throws FileAlreadyExistsException if a live socket or a non-socket file is there
     */
    static Bound bind(Path dir, String iface) throws IOException {
        Objects.requireNonNull(dir, "dir");
        UapiSocketFile file = new UapiSocketFile(dir.resolve(iface + ".sock"));
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        file.refuseIfInUse();
        Path privateDir = Files.createTempDirectory(dir, "." + iface + "-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path staging = privateDir.resolve("s");
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        boolean done = false;
        try {
            channel.bind(UnixDomainSocketAddress.of(staging), 64);
            Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rw-------"));
            Files.move(staging, file.path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            file.fileKey = Files.readAttributes(file.path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .fileKey();
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
    void remove() throws IOException {
        try {
            Object current = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .fileKey();
            if (fileKey != null && fileKey.equals(current)) {
                Files.deleteIfExists(path);
            }
        } catch (NoSuchFileException gone) {
            // Already removed (e.g. by wg, which unlinks sockets that refuse connections): nothing to do.
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
        SocketChannel probe;
        try {
            probe = SocketChannel.open(UnixDomainSocketAddress.of(path));
        } catch (ConnectException stale) {
            // ECONNREFUSED: nobody listens; the file is a leftover and will be replaced by rename.
            return;
        }
        probe.close();
        throw new FileAlreadyExistsException(path.toString(), null, "a live process answers on it");
    }

    /** A bound listening channel and its socket file. */
    record Bound(ServerSocketChannel channel, UapiSocketFile file) {
    }
}
