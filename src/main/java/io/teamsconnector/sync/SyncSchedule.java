package io.teamsconnector.sync;

import io.quarkus.runtime.StartupEvent;
import io.teamsconnector.config.ConnectorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;

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
    static final Duration DIRECTORY = Duration.ofSeconds(1);

    private static final Logger LOG = Logger.getLogger(SyncSchedule.class);

    private final SyncTick tick;
    private final SyncWorkers workers;
    private final ConnectorConfig config;

    public SyncSchedule(SyncTick tick, SyncWorkers workers, ConnectorConfig config) {
        this.tick = tick;
        this.workers = workers;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        if (!config.inProcessSchedule()) {
            LOG.info("In-process schedule off: polling and delivery retries run only on POST /sync-tick");
            return;
        }
        workers.repeat("Polling and delivery", Duration.ofSeconds(1), TICK, tick::work);
        workers.repeat("Housekeeping", Duration.ofSeconds(2), HOUSEKEEPING, tick::housekeeping);
        // a first full sync of a large directory takes a while: on a thread of its own, polling goes on
        workers.repeatApart("Directory sync", Duration.ofSeconds(1), DIRECTORY, tick::directory);
    }
}
