package io.teamsconnector.store;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The budget's statements as PostgreSQL prepares them. */
@QuarkusTest
class PresenceBudgetRepositoryTest {

    @Inject
    Pool pool;

    /**
     * PostgreSQL prepares the take as written, each parameter with one type, as the client's prepared-statement
     * cache first asks it to. Before, it refused ("inconsistent types deduced for parameter $5"), and every take
     * cost a refused prepare, a second one and an error line in PostgreSQL's log.
     */
    @Test
    void theTakePreparesWithOneTypePerParameter() {
        String types = pool.withConnection(connection -> connection.query("PREPARE budget_take AS " + PresenceBudgetRepository.TAKE)
                        .execute()
                        .chain(() -> connection.query("SELECT parameter_types::text FROM pg_prepared_statements "
                                + "WHERE name = 'budget_take'").execute())
                        .call(() -> connection.query("DEALLOCATE budget_take").execute()))
                .map(rows -> {
                    List<String> found = new ArrayList<>();
                    for (Row row : rows) {
                        found.add(row.getString(0));
                    }
                    return String.join(",", found);
                })
                .await().indefinitely();
        assertEquals("{text,\"timestamp with time zone\",\"timestamp with time zone\",\"timestamp with time zone\","
                + "integer,bigint}", types);
    }
}
