package io.teamsconnector.sync;

import io.quarkus.funqy.Funq;

/** {@code POST /sync-tick}: one maintenance pass, for deployments where a cron drives the work. */
public class SyncTickFunction {

    private final SyncTick tick;

    public SyncTickFunction(SyncTick tick) {
        this.tick = tick;
    }

    /** Body of {@code POST /sync-tick}: {@code {}}; its fields are reserved and ignored. */
    public record SyncTickRequest() {
    }

    @Funq("sync-tick")
    public SyncTick.Result syncTick(SyncTickRequest request) {
        return tick.run();
    }
}
