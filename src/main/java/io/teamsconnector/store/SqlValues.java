package io.teamsconnector.store;

import io.vertx.mutiny.sqlclient.Row;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** Conversions between Java values and the reactive PostgreSQL client's column values. */
final class SqlValues {

    private SqlValues() {
    }

    /** A text for a VARCHAR(300) column (an error, an outcome): cut, never refused. */
    static String shortText(String text) {
        return text == null || text.length() <= 300 ? text : text.substring(0, 300);
    }

    /** Microsecond precision: what PostgreSQL stores, so a value written equals the value read back. */
    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    static OffsetDateTime timestamp(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    static Instant instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }

    static <E extends Enum<E>> E enumValue(Class<E> type, String value) {
        return value == null ? null : Enum.valueOf(type, value);
    }

    static String name(Enum<?> value) {
        return value == null ? null : value.name();
    }
}
