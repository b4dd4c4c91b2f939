package io.warren.gateway.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects every error and warning of one parse, so the admin sees them all at once. */
final class Problems {
    private final String file;
    private final List<ConfigError> list = new ArrayList<>();

    Problems(String file) {
        this.file = file;
    }

    String file() {
        return file;
    }

    void error(int line, String location, String reason) {
        list.add(new ConfigError(file, line, location, reason, ConfigError.Severity.ERROR));
    }

    void warn(int line, String location, String reason) {
        list.add(new ConfigError(file, line, location, reason, ConfigError.Severity.WARNING));
    }

    /** Errors reported so far (lets a parser tell whether one key added any). */
    int errorCount() {
        return (int) list.stream().filter(ConfigError::isError).count();
    }

    boolean hasErrors() {
        return list.stream().anyMatch(ConfigError::isError);
    }

    /** All problems in line order (stable for problems on one line). */
    List<ConfigError> sorted() {
        List<ConfigError> copy = new ArrayList<>(list);
        copy.sort(Comparator.comparingInt(ConfigError::line));
        return List.copyOf(copy);
    }
}
