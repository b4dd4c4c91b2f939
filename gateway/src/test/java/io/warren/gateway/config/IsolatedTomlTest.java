package io.warren.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.util.List;
import org.junit.jupiter.api.Test;

class IsolatedTomlTest {
    @Test
    void readsIntoPlainValuesWithLines() {
        ParsedToml p = IsolatedToml.parse("a = 1\n[t]\nb = [\"x\",\n  \"y\"]\n[[arr]]\nc = true\n");
        ConfigTable root = p.root();
        assertEquals(1L, root.get("a"));
        assertEquals(1, root.lineOf("a"));
        ConfigTable t = root.getTable("t");
        assertEquals(2, root.lineOf("t"));
        ConfigArray b = assertInstanceOf(ConfigArray.class, t.get("b"));
        assertEquals(List.of("x", "y"), b.toList());
        assertEquals(3, t.lineOf("b"));
        assertEquals(4, b.lineOf(1));
        ConfigArray arr = assertInstanceOf(ConfigArray.class, root.get("arr"));
        assertEquals(Boolean.TRUE, arr.getTable(0).get("c"));
        assertEquals(0, root.lineOf("missing"));
        assertNull(root.getTable("a"));
    }

    @Test
    void syntaxErrorsCarryTheirLine() {
        ParsedToml p = IsolatedToml.parse("a = 1\nb = = 2\n");
        assertNull(p.root());
        assertEquals(2, p.errors().get(0).line());
    }

    @Test
    void theParserLivesInItsOwnLoaderThatCanBeUnloaded() throws Exception {
        ClassLoader first = IsolatedToml.loader();
        assertNotSame(IsolatedToml.class.getClassLoader(), first);
        assertSame(first, IsolatedToml.loader(), "reads in a row share the loader");
        assertNotSame(org.tomlj.Toml.class, first.loadClass("org.tomlj.Toml"), "tomlj is the loader's own");
        assertSame(ConfigTable.class, first.loadClass(ConfigTable.class.getName()), "results are the parent's types");
        WeakReference<ClassLoader> ref = new WeakReference<>(first);
        first = null;
        IsolatedToml.release();
        // A JIT compilation of the parser still running (the tests before this one parse thousands
        // of configs) holds its classes until it ends; a real leak still fails after 10 s.
        for (int i = 0; i < 200 && ref.get() != null; i++) {
            System.gc();
            Thread.sleep(50);
        }
        assertNull(ref.get(), "released loader is collected");
        assertTrue(IsolatedToml.parse("x = 2\n").root().contains("x"), "a new loader after release");
    }
}
