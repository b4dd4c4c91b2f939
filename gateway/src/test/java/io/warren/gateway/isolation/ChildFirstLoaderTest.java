package io.warren.gateway.isolation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ChildFirstLoaderTest {

    /** A class the test loader defines itself (a nested class: defined from the parent's bytes). */
    public static final class Isolated {
        public static String hello() {
            return "hello";
        }
    }

    @Test
    void definesTheSelectedClassesItselfAndDelegatesTheRest() throws Exception {
        String name = Isolated.class.getName();
        ChildFirstLoader loader = new ChildFirstLoader("test", getClass().getClassLoader(), name::equals);
        Class<?> own = loader.loadClass(name);
        assertNotSame(Isolated.class, own);
        assertSame(loader, own.getClassLoader());
        assertSame(String.class, loader.loadClass("java.lang.String"));
        assertSame(ChildFirstLoaderTest.class, loader.loadClass(ChildFirstLoaderTest.class.getName()));
        assertEquals("hello", ChildFirstLoader.invokeStatic(loader.method(name, "hello")));
    }

    /** {@link ChildFirstLoader#alive} is what the daemon's start-up GC waits on. */
    @Test
    void aliveCountsTheLoadersNotYetCollected() throws Exception {
        int before = ChildFirstLoader.alive();
        ChildFirstLoader loader = new ChildFirstLoader("test", getClass().getClassLoader(), n -> false);
        assertEquals(before + 1, ChildFirstLoader.alive());
        assertEquals("test", loader.getName());
        loader = null;
        for (int i = 0; i < 200 && ChildFirstLoader.alive() > before; i++) {
            System.gc();
            Thread.sleep(50);
        }
        assertTrue(ChildFirstLoader.alive() <= before, "a dropped loader is no longer counted");
    }
}
