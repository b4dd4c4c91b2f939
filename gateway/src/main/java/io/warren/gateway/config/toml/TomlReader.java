package io.warren.gateway.config.toml;

import io.warren.gateway.config.ConfigArray;
import io.warren.gateway.config.ConfigTable;
import io.warren.gateway.config.ParsedToml;
import java.util.ArrayList;
import java.util.List;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * Reads TOML text with tomlj and copies it into {@link ConfigTable}/{@link ConfigArray}. Runs in the
 * class loader {@code IsolatedToml} makes per read: this class and tomlj (with its ANTLR runtime,
 * ~260 classes and the parser's ATN) are unloaded once nothing refers to that loader; what it returns
 * holds no tomlj object. Never throws for bad input.
 */
public final class TomlReader {
    private TomlReader() {
    }

    /** Parses {@code text}; called reflectively by {@code IsolatedToml}. */
    public static ParsedToml read(String text) {
        TomlParseResult toml = Toml.parse(text);
        if (toml.hasErrors()) {
            List<ParsedToml.SyntaxError> errors = new ArrayList<>();
            for (TomlParseError e : toml.errors()) {
                String m = e.getMessage() == null ? "syntax error" : e.getMessage();
                errors.add(new ParsedToml.SyntaxError(line(e.position()), m));
            }
            return new ParsedToml(null, errors);
        }
        return new ParsedToml(copy(toml), List.of());
    }

    private static ConfigTable copy(TomlTable t) {
        ConfigTable out = new ConfigTable();
        for (String key : t.keySet()) {
            List<String> path = List.of(key);
            out.put(key, copyValue(t.get(path)), line(t.inputPositionOf(path)));
        }
        return out;
    }

    private static Object copyValue(Object v) {
        if (v instanceof TomlTable t) {
            return copy(t);
        }
        if (v instanceof TomlArray a) {
            ConfigArray out = new ConfigArray();
            for (int i = 0; i < a.size(); i++) {
                out.add(copyValue(a.get(i)), line(a.inputPositionOf(i)));
            }
            return out;
        }
        return v;
    }

    private static int line(TomlPosition p) {
        return p == null ? 0 : p.line();
    }
}
