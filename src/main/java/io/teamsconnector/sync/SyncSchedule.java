package io.teamsconnector.sync;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.teamsconnector.config.ConnectorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The in-process schedule of a long-running service: due polling and delivery every quarter second
 * (so a connector is polled when its interval is up, and a failed delivery is retried when its backoff
 * ends) and housekeeping every ten seconds, each run after the previous one ended. Off when
 * {@code connector.in-process-schedule} is false; then only {@code POST /sync-tick} does the work.
 */
@ApplicationScoped
public class SyncSchedule {

    /** How often due work is looked for; polls may start this much before their interval is up. */
    public static final Duration TICK = Duration.ofMillis(250);
    static final Duration HOUSEKEEPING = Duration.ofSeconds(10);

    private static final Logger LOG = Logger.getLogger(SyncSchedule.class);

    private final SyncTick tick;
    private final ConnectorConfig config;
    private ScheduledExecutorService schedule;

    public SyncSchedule(SyncTick tick, ConnectorConfig config) {
        this.tick = tick;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        if (!config.inProcessSchedule()) {
            LOG.info("In-process schedule off: polling and delivery retries run only on POST /sync-tick");
            return;
        }
        schedule = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "presence-sync-schedule");
            thread.setDaemon(true);
            return thread;
        });
        schedule.scheduleWithFixedDelay(() -> run("Polling and delivery", tick::work), 1000, TICK.toMillis(),
                TimeUnit.MILLISECONDS);
        schedule.scheduleWithFixedDelay(() -> run("Housekeeping", tick::housekeeping), 2000,
                HOUSEKEEPING.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (schedule != null) {
            schedule.shutdownNow();
        }
    }

    /** A failed run is logged; the next one runs as planned. */
    private static void run(String what, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            LOG.warnf("%s failed: %s", what, e.getMessage());
            LOG.debug(what + " failed", e);
        }
    }
}
