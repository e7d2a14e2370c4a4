package io.teamsconnector.sync;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads for presence-sync work off the request threads: the in-process schedule, reads at sign-in and
 * delivery right after a decision. They block (Graph, the contact center, the database bridge), so they
 * never run on the event loop. A failure is logged and never stops later runs; work lost at shutdown is
 * redone by the next poll.
 */
@ApplicationScoped
public class SyncWorkers {

    private static final Logger LOG = Logger.getLogger(SyncWorkers.class);
    private static final int THREADS = 4;

    private final ScheduledExecutorService executor;
    /** The schedule's own thread: reads waiting on a slow Graph never hold the schedule back. */
    private final ScheduledExecutorService schedule;
    /** Long repeated jobs (directory rounds), apart from the schedule. */
    private final ScheduledExecutorService apart;

    public SyncWorkers() {
        this.executor = Executors.newScheduledThreadPool(THREADS, threads("presence-sync-"));
        this.schedule = Executors.newSingleThreadScheduledExecutor(threads("presence-sync-schedule-"));
        this.apart = Executors.newSingleThreadScheduledExecutor(threads("directory-sync-"));
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger serial = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + serial.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Runs {@code work} after {@code delay}; a failure is logged, never thrown at the caller. */
    public void schedule(String what, Duration delay, Runnable work) {
        try {
            executor.schedule(() -> run(what, work), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debugf("Not started (shutting down): %s", what);
        }
    }

    public void execute(String what, Runnable work) {
        schedule(what, Duration.ZERO, work);
    }

    /**
     * Runs {@code work} after {@code first}, then again {@code delay} after each run ends, until shutdown,
     * on the schedule's thread (repeated jobs take turns there).
     */
    public void repeat(String what, Duration first, Duration delay, Runnable work) {
        schedule.scheduleWithFixedDelay(() -> run(what, work), first.toMillis(), delay.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** {@link #repeat}, on a thread of its own: a long run never delays the schedule's jobs. */
    public void repeatApart(String what, Duration first, Duration delay, Runnable work) {
        apart.scheduleWithFixedDelay(() -> run(what, work), first.toMillis(), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static void run(String what, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            LOG.warnf("%s failed: %s", what, e.getMessage());
            LOG.debug(what + " failed", e);
        }
    }

    @PreDestroy
    void stop() {
        schedule.shutdownNow();
        apart.shutdownNow();
        executor.shutdownNow();
    }
}
