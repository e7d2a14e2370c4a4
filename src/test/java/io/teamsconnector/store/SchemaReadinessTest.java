package io.teamsconnector.store;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SchemaReadinessTest {

    private static final Pattern MIGRATION = Pattern.compile("V(\\d+)__.*\\.sql");

    @Test
    void theExpectedVersionIsTheNewestMigration() throws IOException {
        int newest;
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration"))) {
            newest = files.map(f -> MIGRATION.matcher(f.getFileName().toString()))
                    .filter(Matcher::matches)
                    .mapToInt(m -> Integer.parseInt(m.group(1)))
                    .max().orElseThrow();
        }
        assertEquals(newest, SchemaReadiness.EXPECTED_VERSION,
                "a new migration was added: functions that do not migrate must wait for it");
    }

    @Test
    void aSchemaBehindIsNotReadyAndSaysWhy() {
        HealthCheckResponse behind = SchemaReadiness.verdict(SchemaReadiness.EXPECTED_VERSION - 1);
        assertEquals(HealthCheckResponse.Status.DOWN, behind.getStatus());
        assertTrue(behind.getData().orElseThrow().get("reason").toString().contains("Run the migrations first"));
        assertEquals(HealthCheckResponse.Status.UP, SchemaReadiness.verdict(SchemaReadiness.EXPECTED_VERSION).getStatus());
    }
}
