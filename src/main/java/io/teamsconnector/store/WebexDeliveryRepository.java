package io.teamsconnector.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;

/** Webex deliveries accepted at {@code /webex/events} (table {@code webex_deliveries}), keyed by Webex's id. */
@ApplicationScoped
public class WebexDeliveryRepository {

    private final Pool pool;

    public WebexDeliveryRepository(Pool pool) {
        this.pool = pool;
    }

    /** Stores the delivery; false when one with this id was stored before (a repeated delivery). */
    public Uni<Boolean> store(String id, String orgId, String type, String body) {
        return pool.preparedQuery("INSERT INTO webex_deliveries (id, org_id, type, body, received_at) "
                        + "VALUES ($1, $2, $3, $4, now()) ON CONFLICT (id) DO NOTHING")
                .execute(Tuple.of(id, orgId, type, body))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Forgets a stored delivery that could not be applied, so that Webex's next attempt applies it. */
    public Uni<Void> forget(String id) {
        return pool.preparedQuery("DELETE FROM webex_deliveries WHERE id = $1 AND applied_at IS NULL")
                .execute(Tuple.of(id))
                .replaceWithVoid();
    }

    /** Records what applying the delivery did (a sentence, never a secret). */
    public Uni<Void> applied(String id, String outcome) {
        return pool.preparedQuery("UPDATE webex_deliveries SET applied_at = now(), outcome = $2 WHERE id = $1")
                .execute(Tuple.of(id, SqlValues.shortText(outcome)))
                .replaceWithVoid();
    }

    /** Forgets deliveries older than {@code retention}: Webex does not repeat a delivery that late. */
    public Uni<Integer> deleteOlderThan(Duration retention) {
        return pool.preparedQuery("DELETE FROM webex_deliveries WHERE received_at < now() - make_interval(secs => $1)")
                .execute(Tuple.of((double) retention.toSeconds()))
                .map(rows -> rows.rowCount());
    }
}
