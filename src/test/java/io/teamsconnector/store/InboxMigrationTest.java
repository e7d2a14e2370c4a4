package io.teamsconnector.store;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * V12 turns the inbox's rows of one item into rows of one delivery. An upgrade must not lose what Graph was told
 * was stored: the items waiting at the upgrade are still there after it, with their keys, rich content and state.
 * Runs Flyway itself on a schema of its own in the real test database, up to V11 and then to the newest version.
 */
class InboxMigrationTest {

    private static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
    private final String schema = "tc_inbox_migration_" + System.nanoTime();
    private Connection db;

    @BeforeEach
    void connect() throws SQLException {
        db = DriverManager.getConnection(URL, "postgres", "");
    }

    @AfterEach
    void dropSchema() throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
        }
        db.close();
    }

    private Flyway flyway(String target) {
        return Flyway.configure().dataSource(URL, "postgres", "").schemas(schema).locations("classpath:db/migration")
                .target(target).load();
    }

    @Test
    void itemsWaitingAtTheUpgradeAreKeptAsDeliveriesOfOne() throws SQLException {
        flyway("11").migrate();
        try (Statement s = db.createStatement()) {
            s.execute("SET search_path TO \"" + schema + "\"");
            s.execute("INSERT INTO connectors (org_id, created_at, updated_at) VALUES ('acme', now(), now())");
            s.execute("INSERT INTO notification_inbox (dedupe_key, org_id, subscription_id, teams_user_id, "
                    + "availability, activity, received_at, claimed_at, processed_at) VALUES "
                    + "('" + "a".repeat(64) + "', 'acme', 'sub-1', 'user-basic', NULL, NULL, now(), NULL, NULL), "
                    + "('" + "b".repeat(64) + "', 'acme', 'sub-1', 'user-rich', 'Busy', 'InACall', now(), now(), NULL), "
                    + "('" + "c".repeat(64) + "', 'acme', 'sub-1', 'user-done', NULL, NULL, now(), now(), now())");
        }

        flyway("latest").migrate();

        List<String> rows = new ArrayList<>();
        try (Statement s = db.createStatement();
             ResultSet r = s.executeQuery("SELECT dedupe_key, teams_user_ids, availabilities, activities, "
                     + "claimed_at IS NOT NULL AS claimed, processed_at IS NOT NULL AS processed "
                     + "FROM \"" + schema + "\".notification_inbox ORDER BY seq")) {
            while (r.next()) {
                rows.add(r.getString(1).charAt(0) + " " + text(r.getArray(2)) + " " + text(r.getArray(3)) + " "
                        + text(r.getArray(4)) + " claimed=" + r.getBoolean(5) + " processed=" + r.getBoolean(6));
            }
        }
        assertEquals(List.of(
                "a [user-basic] null null claimed=false processed=false",
                "b [user-rich] [Busy] [InACall] claimed=true processed=false",
                "c [user-done] null null claimed=true processed=true"), rows);
    }

    private static String text(Array array) throws SQLException {
        return array == null ? "null" : Arrays.toString((Object[]) array.getArray());
    }
}
