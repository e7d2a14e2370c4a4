package io.teamsconnector.sync;

import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One-off presence-sync work off the caller's thread: reads at sign-in, delivery right after a decision,
 * notification processing, work signals. It blocks (Graph, the contact center, the database bridge), so it
 * runs on Quarkus' worker pool, never on the event loop, and the caller never waits for it. The work is
 * handed to the pool by the JDK's delay scheduler ({@link CompletableFuture#delayedExecutor}), after the
 * delay if any: so nothing of the caller's Vert.x context goes along (the work may outlive the request that
 * asked for it). Not through Mutiny's scheduler: called from a Vert.x context, it runs delayed work on the
 * event loop. A failure is logged, never thrown at the caller; work lost at shutdown is redone by the next
 * poll. The repeated jobs are {@link SyncSchedule}'s.
 */
@ApplicationScoped
public class SyncWorkers {

    private static final Logger LOG = Logger.getLogger(SyncWorkers.class);

    /** Runs {@code work} after {@code delay}; returns at once. */
    public void schedule(String what, Duration delay, Runnable work) {
        // the JDK's delay thread keeps the class loader of whoever started it (an earlier application in tests
        // and dev mode): the work gets the caller's
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS, Infrastructure.getDefaultExecutor())
                .execute(() -> {
                    Thread thread = Thread.currentThread();
                    ClassLoader previous = thread.getContextClassLoader();
                    thread.setContextClassLoader(loader);
                    try {
                        run(what, work);
                    } finally {
                        thread.setContextClassLoader(previous);
                    }
                });
    }

    /** Runs {@code work} now, on a worker; returns at once. */
    public void execute(String what, Runnable work) {
        schedule(what, Duration.ZERO, work);
    }

    static void run(String what, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            LOG.warnf("%s failed: %s", what, e.getMessage());
            LOG.debug(what + " failed", e);
        }
    }
}
