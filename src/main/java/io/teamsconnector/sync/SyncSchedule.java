package io.teamsconnector.sync;

import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import io.teamsconnector.config.ConnectorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Singleton;

/**
 * The in-process schedule of a long-running service: a maintenance pass every second, so a connector is
 * polled within a second of being due and a failed delivery is retried when its backoff ends. Off when
 * {@code connector.in-process-schedule} is false; then only {@code POST /sync-tick} does the work.
 */
@ApplicationScoped
public class SyncSchedule {

    private final SyncTick tick;

    public SyncSchedule(SyncTick tick) {
        this.tick = tick;
    }

    @Scheduled(identity = "presence-sync", every = "1s", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Off.class)
    void run() {
        tick.run();
    }

    /** Skips every run when the in-process schedule is off. */
    @Singleton
    public static class Off implements Scheduled.SkipPredicate {

        private final boolean off;

        public Off(ConnectorConfig config) {
            this.off = !config.inProcessSchedule();
        }

        @Override
        public boolean test(ScheduledExecution execution) {
            return off;
        }
    }
}
