package io.teamsconnector.store;

import io.smallrye.mutiny.Uni;
import io.teamsconnector.config.ConnectorConfig;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.spi.BeanManager;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How one function tells another that work is waiting, without sharing code: inside one process (the
 * all-in-one) the receiver is a CDI observer and gets the signal at once; where no receiver is deployed
 * beside the sender (a function on its own), the signal goes through PostgreSQL as a {@code NOTIFY} on
 * {@link #channel}, which the sync function listens to. The work itself is always in the database, so a
 * lost signal only delays it until the next pass.
 */
@ApplicationScoped
public class WorkSignals {

    private static final Logger LOG = Logger.getLogger(WorkSignals.class);
    // the database's clock, not ours: one clock for all senders, so a later signal always has a later stamp
    private static final String NOTIFY =
            "SELECT pg_notify($1, $2 || E'\\t' || (extract(epoch FROM clock_timestamp()) * 1000000)::bigint)";

    /**
     * How long {@link #sendSoon} gathers signals into one {@code NOTIFY}. PostgreSQL commits the transactions that
     * notify one at a time (a database-wide lock held through the WAL flush), so a {@code NOTIFY} per webhook batch
     * capped the intake at one batch per disk flush; one per window costs the receiver at most this much delay.
     */
    public static final Duration GATHER_WINDOW = Duration.ofMillis(5);

    private final Event<WorkSignal> local;
    private final BeanManager beans;
    private final Pool pool;
    private final Vertx vertx;
    private final String channel;
    private final Map<String, Boolean> gathering = new ConcurrentHashMap<>();
    private volatile Boolean localReceiver;

    public WorkSignals(Event<WorkSignal> local, BeanManager beans, Pool pool, Vertx vertx, ConnectorConfig config) {
        this.local = local;
        this.beans = beans;
        this.pool = pool;
        this.vertx = vertx;
        this.channel = channel(config.dbSchema());
    }

    /** The NOTIFY channel of a schema: one installation per schema, so test runs never hear each other. */
    public static String channel(String schema) {
        return "tc_work_" + schema;
    }

    /** Sends the signal; never blocks and never fails the caller. Call it after the work was committed. */
    public void send(WorkSignal signal) {
        if (hasLocalReceiver()) {
            local.fire(signal);
            return;
        }
        pool.preparedQuery(NOTIFY)
                .execute(Tuple.of(channel, signal.payload()))
                .subscribe().with(rows -> { },
                        failure -> LOG.warnf("Work signal %s not sent (the next pass does the work): %s",
                                signal.kind(), failure.getMessage()));
    }

    /** Whether a signal reaches its receiver inside this process (else it goes through the database). */
    public boolean inProcess() {
        return hasLocalReceiver();
    }

    /**
     * Sends the signal within {@link #GATHER_WINDOW}, one {@code NOTIFY} for all the equal signals sent meanwhile.
     * Call it after the work was committed: the {@code NOTIFY} always goes out after the last such call, so no
     * work waits for the next pass. In-process the signal is fired at once, as {@link #send} does.
     */
    public void sendSoon(WorkSignal signal) {
        if (hasLocalReceiver()) {
            local.fire(signal);
            return;
        }
        String payload = signal.payload();
        if (gathering.putIfAbsent(payload, Boolean.TRUE) == null) {
            vertx.setTimer(GATHER_WINDOW.toMillis(), id -> {
                // removed before sending: a commit after this point schedules a NOTIFY of its own
                gathering.remove(payload);
                send(signal);
            });
        }
    }

    private boolean hasLocalReceiver() {
        Boolean known = localReceiver;
        if (known == null) {
            known = !beans.resolveObserverMethods(WorkSignal.inbox()).isEmpty();
            localReceiver = known;
        }
        return known;
    }
}
