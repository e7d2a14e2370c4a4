package io.teamsconnector.web;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Loads, on a second thread, the classes a function is known to need before its first answer
 * ({@value #LIST}, one name per line, written by {@code bench/cold-start.sh} with {@code PRELOAD_LISTS=1}), while
 * the main thread boots Quarkus. On two cores the boot is mostly one thread: loading and parsing thousands of
 * classes (Jackson, Netty, the PostgreSQL client) on the other core takes them off the way to the first answer.
 * Classes are only loaded, never initialised, so no static initialiser runs earlier or on another thread than it
 * would anyway. A name that no longer exists (a list older than the dependencies) is skipped.
 */
public final class ClassPreload implements Runnable {

    /** The list, a resource of each function. */
    public static final String LIST = "META-INF/preload-classes.txt";

    private final ClassLoader loader;
    private final InputStream list;
    private int loaded;
    private int skipped;

    ClassPreload(ClassLoader loader, InputStream list) {
        this.loader = loader;
        this.list = list;
    }

    /**
     * Starts loading the list of {@code loader} on a daemon thread; does nothing without a list, in a native
     * image (classes are there already), in an aot-jar (packaged for a JDK 25 AOT cache, which holds the classes
     * already loaded; its classes are on the JDK's own class path) or with {@code -Dclass-preload=false} (how
     * the list is recorded).
     */
    public static void start(ClassLoader loader) {
        if (!wanted(loader)) {
            return;
        }
        InputStream list = loader.getResourceAsStream(LIST);
        if (list == null) {
            return;
        }
        Thread thread = new Thread(new ClassPreload(loader, list), "class-preload");
        thread.setDaemon(true);
        thread.start();
    }

    static boolean wanted(ClassLoader loader) {
        return System.getProperty("org.graalvm.nativeimage.imagecode") == null
                && loader != ClassLoader.getSystemClassLoader()
                && !"false".equals(System.getProperty("class-preload"));
    }

    @Override
    public void run() {
        try (BufferedReader names = new BufferedReader(new InputStreamReader(list, StandardCharsets.UTF_8))) {
            String name;
            while ((name = names.readLine()) != null) {
                if (name.isBlank() || name.startsWith("#")) {
                    continue;
                }
                try {
                    Class.forName(name.strip(), false, loader);
                    loaded++;
                } catch (ClassNotFoundException | LinkageError e) {
                    skipped++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int loaded() {
        return loaded;
    }

    int skipped() {
        return skipped;
    }
}
