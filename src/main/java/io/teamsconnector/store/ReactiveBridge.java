package io.teamsconnector.store;

import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.function.Supplier;

/**
 * The one place where blocking code (Funqy functions, Graph work on worker threads) waits for the
 * reactive persistence layer. Hibernate Reactive needs a Vert.x context (HR000068), which
 * {@link VertxContextSupport#subscribeAndAwait} provides.
 */
@ApplicationScoped
public class ReactiveBridge {

    public <T> T await(Supplier<Uni<T>> work) {
        try {
            return VertxContextSupport.subscribeAndAwait(work::get);
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
