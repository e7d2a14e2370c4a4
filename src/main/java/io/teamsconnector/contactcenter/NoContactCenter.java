package io.teamsconnector.contactcenter;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/** {@code none}: decisions are only recorded (standalone use and tests of the rule). */
final class NoContactCenter implements ContactCenterAdapter {

    @Override
    public boolean sendsChanges() {
        return false;
    }

    @Override
    public CompletableFuture<Delivery> send(UUID idempotencyKey, StateChange change) {
        return CompletableFuture.completedFuture(new Delivery(Delivery.Outcome.DELIVERED, "not sent (none)"));
    }
}
