package io.warren.gateway.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The I/O shell around {@link ConfigParser}: reads the file, reports a missing or unreadable one as a problem. */
public final class ConfigLoader {
    /** Where the Debian package puts the config. */
    public static final Path DEFAULT_PATH = Path.of("/etc/warren/warren.toml");
    /** Refuse absurd files rather than reading them into memory. */
    static final long MAX_SIZE = 16L * 1024 * 1024;

    private ConfigLoader() {
    }

    /** Reads and parses {@code file}; never throws for bad input. */
    public static ConfigResult load(Path file) {
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        String text;
        try {
            if (Files.size(file) > MAX_SIZE) {
                return failure(name, "larger than " + MAX_SIZE + " bytes, not a config file");
            }
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            return failure(name, "cannot read " + file + ": no such file");
        } catch (CharacterCodingException e) {
            return failure(name, "not UTF-8 text");
        } catch (IOException | SecurityException e) {
            return failure(name, "cannot read " + file + ": " + e.getMessage());
        }
        return ConfigParser.forFile(file).parse(name, text);
    }

    /**
     * The line of {@code key} (a TOML key path) in {@code file}, or of its closest enclosing table
     * that has one; 0 when the file cannot be read or has neither (for messages only).
     */
    public static int lineOf(Path file, List<String> key) {
        try {
            if (Files.size(file) > MAX_SIZE) {
                return 0;
            }
            ConfigTable table = IsolatedToml.parse(Files.readString(file)).root();
            int found = 0;
            for (int n = 0; n < key.size() && table != null; n++) {
                int at = table.lineOf(key.get(n));
                found = at == 0 ? found : at;
                table = table.getTable(key.get(n));
            }
            return found;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /**
     * Lets the TOML parser's classes go at the next full GC (see {@link IsolatedToml}); the next
     * load brings them back. The daemon calls this once started and after each reload.
     */
    public static void releaseParser() {
        IsolatedToml.release();
    }

    private static ConfigResult failure(String name, String reason) {
        return new ConfigResult(Optional.empty(),
                List.of(new ConfigError(name, 0, "", reason, ConfigError.Severity.ERROR)));
    }
}
