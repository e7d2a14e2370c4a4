package io.teamsconnector.sync;

import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import io.teamsconnector.config.ConnectorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Singleton;

/**
 * The in-process schedule of a long-running service: due polling and delivery four times a second, so a
 * connector is polled within a quarter second of being due and a failed delivery is retried when its
 * backoff ends; housekeeping every ten seconds. Off when {@code connector.in-process-schedule} is false;
 * then only {@code POST /sync-tick} does the work.
 */
@ApplicationScoped
public class SyncSchedule {

    private final SyncTick tick;

    public SyncSchedule(SyncTick tick) {
        this.tick = tick;
    }

    @Scheduled(identity = "presence-sync", every = "0.25s", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Off.class)
    void work() {
        tick.work();
    }

    @Scheduled(identity = "presence-sync-housekeeping", every = "10s", delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Off.class)
    void housekeeping() {
        tick.housekeeping();
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
