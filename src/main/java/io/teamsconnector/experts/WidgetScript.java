package io.teamsconnector.experts;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /widget/expert-lookup.js}: the agent's widget, {@code <teams-expert-lookup>}, from the classpath
 * ({@code widget/expert-lookup.js}). One route of our own rather than Quarkus' static resources, whose catch-all
 * route would turn every unknown {@code POST} of a function into a 405 instead of a 404.
 */
@ApplicationScoped
public class WidgetScript {

    public static final String PATH = "/widget/expert-lookup.js";
    static final String RESOURCE = "widget/expert-lookup.js";

    private final Buffer script = Buffer.buffer(read(RESOURCE));

    void register(@Observes Router router) {
        router.get(PATH).handler(this::serve);
    }

    void serve(RoutingContext context) {
        context.response()
                .putHeader("Content-Type", "text/javascript; charset=utf-8")
                .putHeader("Cache-Control", "public, max-age=300")
                .putHeader("X-Content-Type-Options", "nosniff")
                .end(script);
    }

    /** A resource of the classpath, whole; a missing one is a broken build. */
    public static byte[] read(String resource) {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
