package io.teamsconnector.sync;

import io.teamsconnector.contactcenter.OutboxDelivery;
import jakarta.enterprise.context.ApplicationScoped;

/** Starts delivery of freshly queued state changes at once, off the caller's thread. */
@ApplicationScoped
public class DeliveryTrigger {

    private final OutboxDelivery delivery;
    private final SyncWorkers workers;

    public DeliveryTrigger(OutboxDelivery delivery, SyncWorkers workers) {
        this.delivery = delivery;
        this.workers = workers;
    }

    public void soon() {
        workers.execute("Delivery of state changes", delivery::deliverDue);
    }
}
