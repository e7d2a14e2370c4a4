package io.teamsconnector.store;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One writer per table (issue 13.4): a static scan of the main sources. A class writes a table when one of
 * its SQL strings says {@code INSERT INTO t}, {@code UPDATE t} or {@code DELETE FROM t}, or when it is the
 * {@code @Entity} mapped to {@code t} (Hibernate writes through it). The migrations ({@code db/migration})
 * own the schema and are not scanned. The owners are listed in the README ("Who writes what").
 */
class OneWriterPerTableTest {

    private static final Path MAIN = Path.of("src/main");
    private static final Path MIGRATIONS = Path.of("src/main/resources/db/migration");

    private static final Pattern TEXT_BLOCK = Pattern.compile("\"\"\"(.*?)\"\"\"", Pattern.DOTALL);
    private static final Pattern CHAR_LITERAL = Pattern.compile("'(?:[^'\\\\\\n]|\\\\.)'");
    private static final Pattern STRING = Pattern.compile("\"((?:[^\"\\\\\\n]|\\\\.)*)\"");
    private static final Pattern WRITE = Pattern.compile(
            "(?i)\\b(?:INSERT\\s+INTO|(?<!FOR\\s)(?<!DO\\s)(?<!KEY\\s)UPDATE|DELETE\\s+FROM)\\s+(?:ONLY\\s+)?([a-z_][a-z0-9_.]*)");
    private static final Pattern ENTITY_TABLE = Pattern.compile("@Table\\s*\\(\\s*name\\s*=\\s*\"([a-z_]+)\"");
    private static final Pattern README_ROW = Pattern.compile("^\\| `([a-z_]+)` \\| `([A-Za-z]+)`");

    /** One write found: which class, which table, and the SQL (or the mapping) that writes it. */
    record Write(String writer, String table, String evidence) {
    }

    @Test
    void noSqlWritesTheConnectorsRow() {
        List<String> offenders = scan().stream()
                .filter(w -> w.table().equals("connectors") && !w.writer().equals("ConnectorEntity"))
                .map(w -> w.writer() + ": " + w.evidence())
                .toList();
        assertEquals(List.of(), offenders, "Table connectors has one writer, the Panache entity ConnectorEntity "
                + "(through ConnectorService). Do not write it with SQL: record what your flow learns in a table of its "
                + "own (as the consent flow does in entra_consents) and derive it in the view connector_states.");
    }

    @Test
    void nothingBumpsTheConnectorVersionByHand() {
        List<String> offenders = sources().entrySet().stream()
                .filter(e -> Pattern.compile("(?i)version\\s*=\\s*version\\s*\\+").matcher(sqlOf(e.getValue())).find())
                .map(e -> e.getKey().toString())
                .toList();
        assertEquals(List.of(), offenders, "only Hibernate moves a version column (@Version)");
    }

    @Test
    void everyTableHasExactlyOneWritingClass() {
        Map<String, Set<String>> writers = writersByTable();
        Map<String, Set<String>> shared = new TreeMap<>();
        writers.forEach((table, classes) -> {
            if (classes.size() > 1) {
                shared.put(table, classes);
            }
        });
        assertEquals(Map.of(), shared, "each table has one writing class; let the others call it");
    }

    @Test
    void theReadmeNamesEachTablesWriter() throws IOException {
        Map<String, String> documented = new TreeMap<>();
        boolean inSection = false;
        for (String line : Files.readAllLines(Path.of("README.md"))) {
            if (line.startsWith("**Who writes what.**")) {
                inSection = true;
            } else if (inSection && (line.startsWith("#") || line.startsWith("**"))) {
                break;
            }
            Matcher row = README_ROW.matcher(line);
            if (inSection && row.find()) {
                documented.put(row.group(1), row.group(2));
            }
        }
        Map<String, String> actual = new TreeMap<>();
        writersByTable().forEach((table, classes) -> actual.put(table, String.join(", ", classes)));
        assertEquals(actual, documented, "README, 'Who writes what': one row per table, `table` | `Owner`");
    }

    @Test
    void theScanSeesWhatItLooksFor() {
        String source = "class X { String a = \"UPDATE connectors SET x = 1\"; String b = \"SELECT 1 FOR UPDATE SKIP LOCKED\";"
                + " String c = \"\"\"\n  insert into t (a)\n  \"\"\"; String d = \"ON CONFLICT (a) DO UPDATE SET a = 1\";"
                + " char q = '\"'; String e = \"DELETE FROM \" + \"u\"; String f = \"FOR NO KEY UPDATE OF c\"; }";
        List<String> tables = writes("X", source).stream().map(Write::table).toList();
        assertEquals(List.of("t", "connectors", "u"), tables);
        assertTrue(writersByTable().get("connectors").contains("ConnectorEntity"), "the entity counts as a writer");
    }

    private static Map<String, Set<String>> writersByTable() {
        return scan().stream().collect(Collectors.groupingBy(Write::table, TreeMap::new,
                Collectors.mapping(Write::writer, Collectors.toCollection(TreeSet::new))));
    }

    private static List<Write> scan() {
        List<Write> out = new ArrayList<>();
        sources().forEach((file, text) -> out.addAll(writes(writerName(file), text)));
        return out;
    }

    /** Main sources and resources (not the migrations), by path. */
    private static Map<Path, String> sources() {
        try (Stream<Path> files = Files.walk(MAIN)) {
            Map<Path, String> out = new TreeMap<>();
            files.filter(Files::isRegularFile)
                    .filter(f -> !f.startsWith(MIGRATIONS))
                    .filter(f -> f.toString().endsWith(".java") || f.toString().endsWith(".sql")
                            || f.toString().endsWith(".properties"))
                    .forEach(f -> {
                        try {
                            out.put(f, Files.readString(f));
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String writerName(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.lastIndexOf('.'));
    }

    static List<Write> writes(String writer, String source) {
        List<Write> out = new ArrayList<>();
        Matcher entity = ENTITY_TABLE.matcher(source);
        if (source.contains("@Entity") && entity.find()) {
            out.add(new Write(writer, entity.group(1), "@Entity @Table(name = \"" + entity.group(1) + "\")"));
        }
        String sql = source.contains("class ") ? sqlOf(source) : source;
        Matcher write = WRITE.matcher(sql);
        while (write.find()) {
            String table = write.group(1).toLowerCase();
            out.add(new Write(writer, table.substring(table.lastIndexOf('.') + 1), write.group().trim()));
        }
        return out;
    }

    /** The string literals and text blocks of a Java source, joined by spaces (so split SQL reads on). */
    private static String sqlOf(String java) {
        StringBuilder sql = new StringBuilder();
        Matcher block = TEXT_BLOCK.matcher(java);
        while (block.find()) {
            sql.append(block.group(1)).append(' ');
        }
        String rest = CHAR_LITERAL.matcher(TEXT_BLOCK.matcher(java).replaceAll(" ")).replaceAll(" ");
        Matcher string = STRING.matcher(rest);
        while (string.find()) {
            sql.append(string.group(1)).append(' ');
        }
        return sql.toString();
    }
}
