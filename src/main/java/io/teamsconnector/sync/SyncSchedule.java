package io.teamsconnector.sync;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.quarkus.scheduler.ScheduledExecution;
import io.teamsconnector.config.ConnectorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * The in-process schedule of a long-running service, run by quarkus-scheduler: due polling and delivery
 * every quarter second (so a connector is polled when its interval is up, and a failed delivery is retried
 * when its backoff ends), housekeeping every ten seconds and directory rounds every second. Each job runs on
 * a worker thread, never alongside itself (a run still going when the next is due skips it), and apart from
 * the others: a long directory round does not delay polling. Off when {@code connector.in-process-schedule}
 * is false; then only {@code POST /sync-tick} does the work.
 */
@ApplicationScoped
public class SyncSchedule {

    /** How often due work is looked for; polls may start this much before their interval is up. */
    public static final Duration TICK = Duration.ofMillis(250);
    /**
     * quarkus-scheduler looks at its triggers once a second and runs nothing more often (an {@code every}
     * under one second only logs a warning), so the due-work job fires every second and makes its
     * quarter-second passes within the run.
     */
    static final Duration SCHEDULER_RESOLUTION = Duration.ofSeconds(1);
    /** A run ends this long before the next firing at the latest, so that firing is not skipped. */
    private static final Duration RUN_MARGIN = Duration.ofMillis(50);

    private static final Logger LOG = Logger.getLogger(SyncSchedule.class);

    private final SyncTick tick;
    private final ConnectorConfig config;
    private volatile boolean stopping;

    public SyncSchedule(SyncTick tick, ConnectorConfig config) {
        this.tick = tick;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        if (!config.inProcessSchedule()) {
            LOG.info("In-process schedule off: polling and delivery retries run only on POST /sync-tick");
        }
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    /** Stored notifications, subscription checks, polling and delivery: passes {@link #TICK} apart. */
    @Scheduled(identity = "presence-sync-due-work", every = "1s", delayed = "1s",
            concurrentExecution = ConcurrentExecution.SKIP, skipExecutionIf = Off.class)
    void dueWork() {
        long deadline = System.nanoTime() + SCHEDULER_RESOLUTION.minus(RUN_MARGIN).toNanos();
        while (!stopping) {
            long started = System.nanoTime();
            run("Polling and delivery", tick::work);
            long took = System.nanoTime() - started;
            // one more pass only if, taking as long as this one, it ends before the next firing
            if (System.nanoTime() + TICK.toNanos() + took - deadline > 0 || !pause(TICK)) {
                return;
            }
        }
    }

    /** Retention clean-up and the outbox gauges. */
    @Scheduled(identity = "presence-sync-housekeeping", every = "10s", delayed = "2s",
            concurrentExecution = ConcurrentExecution.SKIP, skipExecutionIf = Off.class)
    void housekeeping() {
        run("Housekeeping", tick::housekeeping);
    }

    /** Directory rounds (a first full sync of a large directory takes a while): a job of its own. */
    @Scheduled(identity = "directory-sync", every = "1s", delayed = "1s",
            concurrentExecution = ConcurrentExecution.SKIP, skipExecutionIf = Off.class)
    void directory() {
        run("Directory sync", tick::directory);
    }

    private static boolean pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A failure is logged and never stops later runs. */
    private static void run(String what, Runnable work) {
        SyncWorkers.run(what, work);
    }

    /** Skips every job while {@code connector.in-process-schedule} is false. */
    @Singleton
    public static class Off implements Scheduled.SkipPredicate {

        private final ConnectorConfig config;

        public Off(ConnectorConfig config) {
            this.config = config;
        }

        @Override
        public boolean test(ScheduledExecution execution) {
            return !config.inProcessSchedule();
        }
    }
}
