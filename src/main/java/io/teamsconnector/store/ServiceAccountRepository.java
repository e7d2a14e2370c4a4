package io.teamsconnector.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Presence service accounts (table {@code service_accounts}); refresh tokens only as ciphertext. */
@ApplicationScoped
public class ServiceAccountRepository {

    private final Pool pool;

    public ServiceAccountRepository(Pool pool) {
        this.pool = pool;
    }

    /** One stored service account. {@code toString} leaves the ciphertext out. */
    public record ServiceAccountRow(String orgId, String userId, String userPrincipalName, String keyId,
                                    String refreshTokenCiphertext, Instant createdAt, Instant updatedAt) {
        @Override
        public String toString() {
            return "ServiceAccountRow[orgId=" + orgId + ", userId=" + userId + ", keyId=" + keyId + "]";
        }
    }

    /** Adds the account, or replaces the token of an account signed in again. */
    public Uni<Void> upsert(String orgId, String userId, String userPrincipalName, String keyId, String ciphertext) {
        OffsetDateTime now = now();
        return pool.withTransaction(conn -> conn.preparedQuery("INSERT INTO service_accounts (org_id, user_id, "
                        + "user_principal_name, refresh_token_ciphertext, key_id, created_at, updated_at) "
                        + "VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (org_id, user_id) DO UPDATE SET "
                        + "user_principal_name = EXCLUDED.user_principal_name, "
                        + "refresh_token_ciphertext = EXCLUDED.refresh_token_ciphertext, "
                        + "key_id = EXCLUDED.key_id, updated_at = EXCLUDED.updated_at")
                .execute(Tuple.from(new Object[] {orgId, userId, userPrincipalName, ciphertext, keyId, now})))
                .replaceWithVoid();
    }

    /** Replaces the stored token only if it is still the one that was read (a concurrent refresh wins otherwise). */
    public Uni<Boolean> replaceToken(String orgId, String userId, String expectedCiphertext, String keyId,
                                     String ciphertext) {
        return pool.preparedQuery("UPDATE service_accounts SET refresh_token_ciphertext = $4, key_id = $5, "
                        + "updated_at = $6 WHERE org_id = $1 AND user_id = $2 AND refresh_token_ciphertext = $3")
                .execute(Tuple.from(new Object[] {orgId, userId, expectedCiphertext, ciphertext, keyId, now()}))
                .map(rows -> rows.rowCount() == 1);
    }

    public Uni<Optional<ServiceAccountRow>> find(String orgId, String userId) {
        return pool.preparedQuery("SELECT * FROM service_accounts WHERE org_id = $1 AND user_id = $2")
                .execute(Tuple.of(orgId, userId))
                .map(rows -> rows.size() == 0 ? Optional.<ServiceAccountRow>empty()
                        : Optional.of(row(rows.iterator().next())));
    }

    public Uni<List<ServiceAccountRow>> list(String orgId) {
        return pool.preparedQuery("SELECT * FROM service_accounts WHERE org_id = $1 ORDER BY created_at, user_id")
                .execute(Tuple.of(orgId))
                .map(rows -> {
                    List<ServiceAccountRow> out = new ArrayList<>();
                    rows.forEach(r -> out.add(row(r)));
                    return out;
                });
    }

    private static ServiceAccountRow row(Row r) {
        return new ServiceAccountRow(r.getString("org_id"), r.getString("user_id"), r.getString("user_principal_name"),
                r.getString("key_id"), r.getString("refresh_token_ciphertext"),
                SqlValues.instant(r, "created_at"), SqlValues.instant(r, "updated_at"));
    }

    private static OffsetDateTime now() {
        return SqlValues.timestamp(SqlValues.now());
    }
}
