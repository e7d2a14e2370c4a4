package io.teamsconnector.contactcenter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.teamsconnector.config.ConnectorConfig;
import io.teamsconnector.store.OutboxRepository;
import io.teamsconnector.store.OutboxRepository.OutboxItem;
import io.teamsconnector.store.ReactiveBridge;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Delivers queued state changes: claims due items, sends them concurrently through the configured
 * adapter, and records each outcome. A failed attempt is retried with backoff and jitter; after the
 * last attempt the item is kept as failed, never dropped. Blocking: call from a worker thread. Created at
 * start-up, so its gauges are there before the first delivery.
 */
@ApplicationScoped
@Startup
public class OutboxDelivery {

    private static final Logger LOG = Logger.getLogger(OutboxDelivery.class);
    private static final int BATCH = 50;
    private static final int MAX_BATCHES_PER_RUN = 20;

    private final OutboxRepository outbox;
    private final ContactCenterAdapter adapter;
    private final ReactiveBridge bridge;
    private final ObjectMapper json;
    private final MeterRegistry meters;
    private final RetrySchedule retries;
    private final Duration lease;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private final AtomicLong backlog = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    public OutboxDelivery(OutboxRepository outbox, ContactCenterAdapter adapter, ReactiveBridge bridge,
                          ObjectMapper json, MeterRegistry meters, ConnectorConfig config) {
        this.outbox = outbox;
        this.adapter = adapter;
        this.bridge = bridge;
        this.json = json;
        this.meters = meters;
        this.retries = new RetrySchedule(config.outboxRetryBackoff(), config.outboxMaxBackoff(),
                Math.max(1, config.outboxMaxAttempts()));
        // long enough for one concurrent batch to be sent and recorded; then another instance may take over
        this.lease = config.contactCenterTimeout().multipliedBy(2).plusSeconds(10);
        Gauge.builder("outbox.backlog", backlog, AtomicLong::get)
                .description("State changes waiting for delivery to the contact center").register(meters);
        Gauge.builder("outbox.failed", failed, AtomicLong::get)
                .description("State changes kept as failed after their last delivery attempt").register(meters);
    }

    /** True when the adapter sends anything (not {@code none}): only then are changes queued. */
    public boolean enabled() {
        return adapter.sendsChanges();
    }

    /**
     * Delivers what is due. One run at a time per process; a call during a run makes that run go on
     * once more instead. Answers the number of items delivered by this call.
     */
    public int deliverDue() {
        if (!adapter.sendsChanges()) {
            return 0;
        }
        int delivered = 0;
        while (true) {
            if (!running.compareAndSet(false, true)) {
                again.set(true);
                return delivered;
            }
            try {
                do {
                    again.set(false);
                    for (int i = 0; i < MAX_BATCHES_PER_RUN; i++) {
                        List<OutboxItem> claimed = bridge.await(() -> outbox.claimDue(BATCH, lease));
                        if (claimed.isEmpty()) {
                            break;
                        }
                        delivered += deliver(claimed);
                    }
                } while (again.get());
            } finally {
                running.set(false);
            }
            // a call that came between the last check and the release must not be lost
            if (!again.get()) {
                return delivered;
            }
        }
    }

    private int deliver(List<OutboxItem> items) {
        List<CompletableFuture<Delivery>> sent = new ArrayList<>(items.size());
        for (OutboxItem item : items) {
            sent.add(send(item));
        }
        int delivered = 0;
        for (int i = 0; i < items.size(); i++) {
            OutboxItem item = items.get(i);
            Delivery outcome = sent.get(i).join();
            record(item, outcome);
            if (outcome.outcome() == Delivery.Outcome.DELIVERED) {
                delivered++;
            }
        }
        return delivered;
    }

    private CompletableFuture<Delivery> send(OutboxItem item) {
        try {
            StateChange change = json.readValue(item.payload(), StateChange.class);
            return adapter.send(item.id(), change);
        } catch (JsonProcessingException e) {
            return CompletableFuture.completedFuture(new Delivery(Delivery.Outcome.REJECTED, "unreadable payload"));
        }
    }

    private void record(OutboxItem item, Delivery outcome) {
        String result;
        switch (outcome.outcome()) {
            case DELIVERED -> {
                bridge.await(() -> outbox.delivered(item.id()));
                result = "delivered";
            }
            case RETRY -> {
                if (retries.exhausted(item.attempts())) {
                    bridge.await(() -> outbox.failed(item.id(), outcome.detail()));
                    LOG.warnf("State change %s for agent %s of %s failed after %d attempts (%s); kept as failed",
                            item.id(), item.agentId(), item.orgId(), item.attempts(), outcome.detail());
                    result = "failed";
                } else {
                    Duration backoff = retries.delayAfter(item.attempts(), ThreadLocalRandom.current().nextDouble());
                    // the contact center's Retry-After (429) wins over a shorter backoff
                    Duration delay = outcome.retryAfter().compareTo(backoff) > 0 ? outcome.retryAfter() : backoff;
                    bridge.await(() -> outbox.retryLater(item.id(), delay, outcome.detail()));
                    LOG.debugf("State change %s for agent %s not delivered (%s), attempt %d; next in %d ms",
                            item.id(), item.agentId(), outcome.detail(), item.attempts(), delay.toMillis());
                    result = "retry";
                }
            }
            case WAIT -> {
                bridge.await(() -> outbox.waitForLink(item.id(), outcome.detail()));
                LOG.infof("State change %s for agent %s of %s waits for the contact-center link (%s)",
                        item.id(), item.agentId(), item.orgId(), outcome.detail());
                result = "waiting";
            }
            default -> {
                bridge.await(() -> outbox.failed(item.id(), outcome.detail()));
                LOG.warnf("The contact center refused state change %s for agent %s of %s (%s); kept as failed",
                        item.id(), item.agentId(), item.orgId(), outcome.detail());
                result = "rejected";
            }
        }
        meters.counter("outbox.deliveries", "outcome", result).increment();
    }

    /** Re-reads the backlog and failure counts behind the {@code outbox.backlog} and {@code outbox.failed} gauges. */
    public void refreshGauges() {
        OutboxRepository.Counts counts = bridge.await(outbox::counts);
        backlog.set(counts.backlog());
        failed.set(counts.failed());
    }
}
