package io.warren.gateway.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;

/**
 * How the parser reads key files ({@code private-key-file}, {@code preshared-key-file}). The one
 * piece of I/O the parser does; tests substitute their own.
 */
public interface SecretFiles {

    /** Key files are one line; anything bigger is not a key file. */
    int MAX_SIZE = 4096;

    /** The file's text. */
    String read(Path file) throws IOException;

    /** True if users other than owner and group may read the file. */
    boolean isWorldReadable(Path file) throws IOException;

    /** The real file system. */
    SecretFiles LOCAL = new SecretFiles() {
        @Override
        public String read(Path file) throws IOException {
            if (Files.size(file) > MAX_SIZE) {
                throw new IOException("larger than " + MAX_SIZE + " bytes, not a key file");
            }
            return Files.readString(file);
        }

        @Override
        public boolean isWorldReadable(Path file) throws IOException {
            try {
                return Files.getPosixFilePermissions(file).contains(PosixFilePermission.OTHERS_READ);
            } catch (UnsupportedOperationException notPosix) {
                return false;
            }
        }
    };
}
