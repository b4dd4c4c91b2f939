package io.warren.gateway.config;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads a key given inline ({@code private-key}) or by file ({@code private-key-file}), reporting
 * without ever echoing key material.
 */
final class KeyReader {
    private final SecretFiles files;
    private final Path baseDir;

    /** @param baseDir relative key file paths are resolved against the config file's folder */
    KeyReader(SecretFiles files, Path baseDir) {
        this.files = files;
        this.baseDir = baseDir;
    }

    /** A key resolved from one of the two forms, and the file it came from. */
    record Resolved(WgKey key, Optional<Path> file) {
    }

    /**
     * Reads {@code inlineKey} or {@code fileKey} from {@code s}. Exactly one may be present;
     * if {@code required}, one must be.
     */
    Optional<Resolved> read(Section s, String inlineKey, String fileKey, boolean required) {
        boolean inline = s.has(inlineKey);
        boolean file = s.has(fileKey);
        if (inline && file) {
            s.error(fileKey, "give either " + inlineKey + " or " + fileKey + ", not both");
            return Optional.empty();
        }
        if (inline) {
            return s.string(inlineKey).flatMap(text -> {
                Optional<WgKey> k = WgKey.parse(text);
                if (k.isEmpty()) {
                    s.error(inlineKey, badKey(text));
                }
                return k.map(key -> new Resolved(key, Optional.empty()));
            });
        }
        if (file) {
            return s.string(fileKey).flatMap(name -> readFile(s, fileKey, name));
        }
        if (required) {
            s.error(inlineKey, "missing (required): give " + inlineKey + " or " + fileKey);
        }
        return Optional.empty();
    }

    private Optional<Resolved> readFile(Section s, String fileKey, String name) {
        Path path = baseDir.resolve(name);
        String text;
        try {
            text = files.read(path);
        } catch (IOException | SecurityException e) {
            s.error(fileKey, "cannot read " + Section.quote(path.toString()) + ": " + describe(e));
            return Optional.empty();
        }
        Optional<WgKey> k = WgKey.parse(text);
        if (k.isEmpty()) {
            s.error(fileKey, Section.quote(path.toString()) + " does not hold a key: " + badKey(text.strip()));
            return Optional.empty();
        }
        try {
            if (files.isWorldReadable(path)) {
                s.warn(fileKey, Section.quote(path.toString()) + " is world-readable; run chmod 600 on it");
            }
        } catch (IOException e) {
            s.warn(fileKey, "cannot check permissions of " + Section.quote(path.toString()) + ": " + describe(e));
        }
        return Optional.of(new Resolved(k.get(), Optional.of(path)));
    }

    /** Why a key text is bad, without showing it. */
    static String badKey(String text) {
        String t = text.strip();
        if (t.length() != WgKey.BASE64_LENGTH) {
            return "not a WireGuard key: expected " + WgKey.BASE64_LENGTH
                    + " base64 characters (32 bytes, as printed by 'wg genkey'), got " + t.length();
        }
        return "not a WireGuard key: not valid base64 of 32 bytes";
    }

    private static String describe(Exception e) {
        String cls = e.getClass().getSimpleName();
        if (cls.equals("NoSuchFileException")) {
            return "no such file";
        }
        if (cls.equals("AccessDeniedException")) {
            return "permission denied";
        }
        return e.getMessage() == null ? cls : e.getMessage();
    }
}
