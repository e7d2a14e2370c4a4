package io.teamsconnector.contactcenter;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/** Sends state changes decided by presence sync to the contact center. */
public interface ContactCenterAdapter {

    /** False for the {@code none} adapter: decisions are only recorded and nothing is queued. */
    boolean sendsChanges();

    /**
     * Sends one change. {@code idempotencyKey} is the same on every attempt of the same change. Never
     * completes exceptionally: failures are {@link Delivery} outcomes.
     */
    CompletableFuture<Delivery> send(UUID idempotencyKey, StateChange change);
}
