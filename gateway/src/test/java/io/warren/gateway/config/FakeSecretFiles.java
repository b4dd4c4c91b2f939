package io.warren.gateway.config;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** In-memory key files: path to content, plus which ones are world-readable. */
final class FakeSecretFiles implements SecretFiles {
    private final Map<Path, String> contents = new HashMap<>();
    private final Map<Path, Boolean> worldReadable = new HashMap<>();

    FakeSecretFiles put(String path, String content, boolean world) {
        contents.put(Path.of(path), content);
        worldReadable.put(Path.of(path), world);
        return this;
    }

    @Override
    public String read(Path file) throws IOException {
        String s = contents.get(file);
        if (s == null) {
            throw new NoSuchFileException(file.toString());
        }
        return s;
    }

    @Override
    public boolean isWorldReadable(Path file) {
        return worldReadable.getOrDefault(file, false);
    }

    /** The key files the fixtures under /fixtures refer to. */
    static FakeSecretFiles fixtures() {
        return new FakeSecretFiles()
                .put("/fixtures/keys/wg1.key", "aEngDLIPcb4UMdgmKclx8vTCIbAI/CmhiR8giloYtEc=\n", false)
                .put("/fixtures/open.key", "qIBgnTUJeiAaR+hAxYlWpE2WPD8GgMhLzk154Z32r2g=\n", true);
    }
}
