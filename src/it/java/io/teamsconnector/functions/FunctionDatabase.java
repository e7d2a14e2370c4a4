package io.teamsconnector.functions;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.flywaydb.core.Flyway;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * A schema of its own in the test database, migrated before the packaged function starts (as the admin
 * function or the migrate Job does in a deployment: most functions never migrate), and dropped afterwards.
 * The function gets the same settings a deployment gives every function.
 */
public class FunctionDatabase implements QuarkusTestResourceLifecycleManager {

    public static final String JDBC_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    public static final String USER = "postgres";
    public static final String API_KEY = "it-key";

    /** The schema of this run: one per function and build (failsafe sets it). */
    public static String schema() {
        return System.getProperty("it.schema", "tcit_local");
    }

    public static Connection connect() throws SQLException {
        Connection connection = DriverManager.getConnection(JDBC_URL, USER, "");
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET search_path TO " + schema());
        }
        return connection;
    }

    @Override
    public Map<String, String> start() {
        Flyway.configure()
                .dataSource(JDBC_URL, USER, "")
                .schemas(schema())
                .locations("classpath:db/migration")
                .load()
                .migrate();
        return Map.of(
                "connector.db-schema", schema(),
                "connector.api-keys", API_KEY,
                "connector.public-url", "http://127.0.0.1:8080");
    }

    @Override
    public void stop() {
        try (Connection connection = DriverManager.getConnection(JDBC_URL, USER, "");
             Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema() + " CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
