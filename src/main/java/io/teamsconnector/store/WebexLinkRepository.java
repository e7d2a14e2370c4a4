package io.teamsconnector.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.teamsconnector.store.SqlValues.instant;
import static io.teamsconnector.store.SqlValues.timestamp;

/**
 * Connectors' Webex links (table {@code webex_links}): tokens and the subscription secret only as
 * ciphertext. Token replacements are conditional on the refresh token that was read, so of two concurrent
 * refreshes (two instances) only one writes, and the other reads the winner's tokens.
 */
@ApplicationScoped
public class WebexLinkRepository {

    public static final String LINKED = "LINKED";
    public static final String REAUTHORIZATION_REQUIRED = "REAUTHORIZATION_REQUIRED";

    private final Pool pool;

    public WebexLinkRepository(Pool pool) {
        this.pool = pool;
    }

    /** One link. {@code toString} leaves every ciphertext out. */
    public record WebexLinkRow(String orgId, String status, String linkedBy, Instant linkedAt, String keyId,
                               String accessTokenCiphertext, Instant accessExpiresAt, String refreshTokenCiphertext,
                               Instant refreshExpiresAt, String subscriptionId, String subscriptionStatus,
                               String secretKeyId, String secretCiphertext) {
        @Override
        public String toString() {
            return "WebexLinkRow[orgId=" + orgId + ", status=" + status + ", subscriptionId=" + subscriptionId + "]";
        }
    }

    /** Sealed tokens to store: one key seals both. */
    public record SealedTokens(String keyId, String accessTokenCiphertext, Instant accessExpiresAt,
                               String refreshTokenCiphertext, Instant refreshExpiresAt) {
        @Override
        public String toString() {
            return "SealedTokens[keyId=" + keyId + ", accessExpiresAt=" + accessExpiresAt + "]";
        }
    }

    /** Associated data of a ciphertext of the link: a ciphertext moved to another connector or purpose does not open. */
    public static String sealContext(String orgId, String what) {
        return "webex-link:" + orgId + ":" + what;
    }

    /** What the subscription secret is sealed for. */
    public static final String SUBSCRIPTION_SECRET = "subscription-secret";

    public Uni<Optional<WebexLinkRow>> find(String orgId) {
        return pool.preparedQuery("SELECT * FROM webex_links WHERE org_id = $1")
                .execute(Tuple.of(orgId))
                .map(WebexLinkRepository::first);
    }

    /** Links the connector (or links it again): new tokens, LINKED; a subscription already registered stays. */
    public Uni<Void> link(String orgId, String linkedBy, SealedTokens tokens) {
        Instant now = SqlValues.now();
        return pool.preparedQuery("INSERT INTO webex_links (org_id, status, linked_by, linked_at, key_id, "
                        + "access_token_ciphertext, access_expires_at, refresh_token_ciphertext, refresh_expires_at, "
                        + "updated_at) VALUES ($1, 'LINKED', $2, $3, $4, $5, $6, $7, $8, $3) "
                        + "ON CONFLICT (org_id) DO UPDATE SET status = 'LINKED', linked_by = EXCLUDED.linked_by, "
                        + "linked_at = EXCLUDED.linked_at, key_id = EXCLUDED.key_id, "
                        + "access_token_ciphertext = EXCLUDED.access_token_ciphertext, "
                        + "access_expires_at = EXCLUDED.access_expires_at, "
                        + "refresh_token_ciphertext = EXCLUDED.refresh_token_ciphertext, "
                        + "refresh_expires_at = EXCLUDED.refresh_expires_at, updated_at = EXCLUDED.updated_at")
                .execute(Tuple.from(new Object[] {orgId, linkedBy, timestamp(now), tokens.keyId(),
                    tokens.accessTokenCiphertext(), timestamp(tokens.accessExpiresAt()), tokens.refreshTokenCiphertext(),
                    timestamp(tokens.refreshExpiresAt())}))
                .replaceWithVoid();
    }

    /** Stores refreshed tokens, only if the refresh token is still the one that was used. */
    public Uni<Boolean> replaceTokens(String orgId, String usedRefreshCiphertext, SealedTokens tokens) {
        return pool.preparedQuery("UPDATE webex_links SET key_id = $3, access_token_ciphertext = $4, "
                        + "access_expires_at = $5, refresh_token_ciphertext = $6, refresh_expires_at = $7, "
                        + "updated_at = $8 WHERE org_id = $1 AND refresh_token_ciphertext = $2 AND status = 'LINKED'")
                .execute(Tuple.from(new Object[] {orgId, usedRefreshCiphertext, tokens.keyId(),
                    tokens.accessTokenCiphertext(), timestamp(tokens.accessExpiresAt()), tokens.refreshTokenCiphertext(),
                    timestamp(tokens.refreshExpiresAt()), timestamp(SqlValues.now())}))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Webex refused this refresh token for good: the link waits for an administrator. */
    public Uni<Boolean> requireReauthorization(String orgId, String refusedRefreshCiphertext) {
        return pool.preparedQuery("UPDATE webex_links SET status = 'REAUTHORIZATION_REQUIRED', updated_at = $3 "
                        + "WHERE org_id = $1 AND refresh_token_ciphertext = $2 AND status = 'LINKED'")
                .execute(Tuple.of(orgId, refusedRefreshCiphertext, timestamp(SqlValues.now())))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Records the registered subscription and its sealed secret. */
    public Uni<Void> subscribed(String orgId, String subscriptionId, String status, String secretKeyId,
                                String secretCiphertext) {
        return pool.preparedQuery("UPDATE webex_links SET subscription_id = $2, subscription_status = $3, "
                        + "secret_key_id = $4, secret_ciphertext = $5, updated_at = $6 WHERE org_id = $1")
                .execute(Tuple.from(new Object[] {orgId, subscriptionId, status, secretKeyId, secretCiphertext,
                    timestamp(SqlValues.now())}))
                .replaceWithVoid();
    }

    /** Webex's status of the subscription at the last check. */
    public Uni<Void> subscriptionStatus(String orgId, String subscriptionId, String status) {
        return pool.preparedQuery("UPDATE webex_links SET subscription_status = $3, updated_at = $4 "
                        + "WHERE org_id = $1 AND subscription_id = $2")
                .execute(Tuple.of(orgId, subscriptionId, status, timestamp(SqlValues.now())))
                .replaceWithVoid();
    }

    /** Forgets the subscription (deleted at Webex, or lost there); its secret goes with it. */
    public Uni<Void> unsubscribed(String orgId) {
        return subscribed(orgId, null, null, null, null);
    }

    /** Forgets the link and its tokens. */
    public Uni<Boolean> unlink(String orgId) {
        return pool.preparedQuery("DELETE FROM webex_links WHERE org_id = $1")
                .execute(Tuple.of(orgId))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Linked connectors that are ACTIVE, for the subscription check. */
    public Uni<List<WebexLinkRow>> linkedActive() {
        return pool.preparedQuery("SELECT w.* FROM webex_links w JOIN connector_states c ON c.org_id = w.org_id "
                        + "WHERE c.status = 'ACTIVE' AND w.status = 'LINKED' ORDER BY w.org_id")
                .execute()
                .map(rows -> {
                    List<WebexLinkRow> out = new ArrayList<>(rows.size());
                    rows.forEach(r -> out.add(row(r)));
                    return out;
                });
    }

    private static Optional<WebexLinkRow> first(RowSet<Row> rows) {
        return rows.size() == 0 ? Optional.empty() : Optional.of(row(rows.iterator().next()));
    }

    private static WebexLinkRow row(Row r) {
        return new WebexLinkRow(r.getString("org_id"), r.getString("status"), r.getString("linked_by"),
                instant(r, "linked_at"), r.getString("key_id"), r.getString("access_token_ciphertext"),
                instant(r, "access_expires_at"), r.getString("refresh_token_ciphertext"),
                instant(r, "refresh_expires_at"), r.getString("subscription_id"), r.getString("subscription_status"),
                r.getString("secret_key_id"), r.getString("secret_ciphertext"));
    }
}
