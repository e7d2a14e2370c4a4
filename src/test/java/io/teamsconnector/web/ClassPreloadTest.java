package io.teamsconnector.web;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClassPreloadTest {

    /** Records which classes were asked for, and whether their initialisation was asked for too. */
    static final class RecordingLoader extends URLClassLoader {
        final List<String> asked = new ArrayList<>();

        RecordingLoader() {
            super(new URL[0], ClassPreloadTest.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            asked.add(name);
            return super.loadClass(name, resolve);
        }
    }

    /** Set by {@link NotToBeInitialised}'s static initialiser (read here, so that reading it initialises nothing). */
    static volatile boolean initialised;

    static class NotToBeInitialised {
        static {
            initialised = true;
        }
    }

    private static ClassPreload preload(RecordingLoader loader, String list) {
        return new ClassPreload(loader, new ByteArrayInputStream(list.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void loadsTheListedClassesInOrderWithoutInitialisingThem() {
        RecordingLoader loader = new RecordingLoader();
        ClassPreload preload = preload(loader, "java.util.ArrayDeque\n"
                + NotToBeInitialised.class.getName() + "\n");
        preload.run();
        assertEquals(List.of("java.util.ArrayDeque", NotToBeInitialised.class.getName()), loader.asked);
        assertEquals(2, preload.loaded());
        assertFalse(initialised, "loaded, not initialised: no static initialiser runs early");
    }

    @Test
    void aListOlderThanTheDependenciesSkipsWhatIsGoneAndGoesOn() {
        RecordingLoader loader = new RecordingLoader();
        ClassPreload preload = preload(loader, "# recorded by bench/cold-start.sh\ncom.example.Gone\n\n"
                + "java.util.ArrayDeque\n");
        preload.run();
        assertEquals(1, preload.loaded());
        assertEquals(1, preload.skipped());
        assertTrue(loader.asked.contains("java.util.ArrayDeque"));
    }

    @Test
    void anAotJarPreloadsNothingItsClassesComeFromTheJdksCache() {
        // an aot-jar runs on the JDK's application class loader; the fast-jar on Quarkus' own
        assertFalse(ClassPreload.wanted(ClassLoader.getSystemClassLoader()));
        assertTrue(ClassPreload.wanted(new RecordingLoader()));
    }
}
