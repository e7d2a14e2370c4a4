package io.teamsconnector.functions;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Rows the functions share, written and read the way another function would: straight in the database. */
public final class Seed {

    public static final String TENANT = "aaaaaaaa-0000-0000-0000-0000000000aa";

    private Seed() {
    }

    /** An ACTIVE connector, as the admin and consent functions leave it: the row, and the admin consent recorded. */
    public static void activeConnector(String orgId) throws SQLException {
        try (Connection c = FunctionDatabase.connect();
             PreparedStatement connector = c.prepareStatement("INSERT INTO connectors (org_id, created_at, updated_at) "
                     + "VALUES (?, now(), now()) ON CONFLICT DO NOTHING");
             PreparedStatement consent = c.prepareStatement("INSERT INTO entra_consents (org_id, tenant_id, granted_at) "
                     + "VALUES (?, ?, now()) ON CONFLICT DO NOTHING")) {
            connector.setString(1, orgId);
            connector.executeUpdate();
            consent.setString(1, orgId);
            consent.setString(2, TENANT);
            consent.executeUpdate();
        }
    }

    /** A presence subscription, as the sync function leaves it after Graph created it. */
    public static void subscription(String orgId, String id, String clientState, String userId) throws SQLException {
        try (Connection c = FunctionDatabase.connect();
             PreparedStatement s = c.prepareStatement("INSERT INTO presence_subscriptions (id, org_id, "
                     + "service_account_id, client_state_hash, user_ids, include_resource_data, expires_at, "
                     + "authorized_at, created_at) VALUES (?, ?, 'svc-1', ?, ARRAY[?], false, "
                     + "now() + interval '50 minutes', now(), now())")) {
            s.setString(1, id);
            s.setString(2, orgId);
            s.setString(3, sha256Hex(clientState));
            s.setString(4, userId);
            s.executeUpdate();
        }
    }

    public static int count(String sql, String parameter) throws SQLException {
        try (Connection c = FunctionDatabase.connect(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, parameter);
            try (ResultSet rows = s.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    /** Listens to the work-signal channel the way the sync function does. Close it when done. */
    public static Connection listen() throws SQLException {
        Connection c = FunctionDatabase.connect();
        try (Statement s = c.createStatement()) {
            s.execute("LISTEN \"tc_work_" + FunctionDatabase.schema() + "\"");
        }
        return c;
    }

    /** The signals heard within {@code millis}. */
    public static List<String> heard(Connection listening, int millis) throws SQLException {
        List<String> payloads = new ArrayList<>();
        PGNotification[] got = listening.unwrap(PGConnection.class).getNotifications(millis);
        if (got != null) {
            for (PGNotification n : got) {
                payloads.add(n.getParameter());
            }
        }
        return payloads;
    }

    static String sha256Hex(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return String.format("%064x", new BigInteger(1, digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
