package io.teamsconnector;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Native-image hazards that show in the source, checked without building an image (no GraalVM or Mandrel
 * here): random generators in static fields, and JSON data binding that no endpoint registers for us.
 */
class NativeHazardsTest {

    static final Path MAIN = Path.of("src/main/java");

    /** A random generator in a static field: the image initialises it at build time and ships its seed. */
    static final Pattern STATIC_RANDOM = Pattern.compile(
            "\\bstatic\\s+(?:final\\s+)?(?:[\\w.]+\\.)?(?:Random|SecureRandom|SplittableRandom)\\s+\\w+\\s*[=;]");

    /** Jackson or Vert.x data binding: its type needs @RegisterForReflection unless an endpoint or function binds it. */
    static final Pattern DATA_BINDING = Pattern.compile("\\.(?:readValue|writeValueAsString|writeValueAsBytes|writeValue"
            + "|convertValue|valueToTree|treeToValue|updateValue|mapTo)\\("
            + "|\\b(?:Json\\.(?:encode|encodePrettily|encodeToBuffer|decodeValue)|JsonObject\\.mapFrom)\\(");

    /**
     * The data-binding calls under src/main/java, by file name (classes move between packages), and where the
     * types they bind are checked. A new call fails this test: register its type in the type's own package,
     * list it in that package's NativeJsonTypesTest, then count the call here.
     */
    static final Map<String, Integer> BINDING_CALLS = Map.of(
            // StateChange, WebhookContactCenter.Body: contactcenter.NativeJsonTypesTest (Webex bodies are JsonObjects)
            "PresenceSyncService.java", 1,
            "OutboxDelivery.java", 1,
            "WebhookContactCenter.java", 1,
            // ErrorBodies.ErrorBody: web.NativeJsonTypesTest
            "ValidationHandshake.java", 1,
            "ErrorBodies.java", 1, // the one error-body writer, for every edge that writes bytes itself
            // a Map<String, String>: JDK types need no registration
            "StateMappingJson.java", 2);

    @Test
    void noRandomGeneratorIsHeldInAStaticField() throws IOException {
        List<String> found = new ArrayList<>();
        for (Path file : sources()) {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                if (STATIC_RANDOM.matcher(lines.get(i)).find()) {
                    found.add(MAIN.relativize(file) + ":" + (i + 1));
                }
            }
        }
        assertEquals(List.of(), found, "create it per call or per bean instead");
    }

    @Test
    void theDataBindingCallsAreTheKnownOnes() throws IOException {
        Map<String, Integer> found = new TreeMap<>();
        for (Path file : sources()) {
            Matcher m = DATA_BINDING.matcher(Files.readString(file));
            while (m.find()) {
                found.merge(file.getFileName().toString(), 1, Integer::sum);
            }
        }
        assertEquals(new TreeMap<>(BINDING_CALLS), found,
                "a JSON data-binding call was added or removed: see BINDING_CALLS for what to do");
    }

    @Test
    void thePatternsCatchWhatTheyAreFor() {
        assertTrue(STATIC_RANDOM.matcher("    private static final SecureRandom RANDOM = new SecureRandom();").find());
        assertTrue(STATIC_RANDOM.matcher("static java.util.Random random;").find());
        assertFalse(STATIC_RANDOM.matcher("    private final SecureRandom random = new SecureRandom();").find());
        assertFalse(STATIC_RANDOM.matcher("    static SecureRandom random() {").find());
        assertTrue(DATA_BINDING.matcher("body = json.writeValueAsString(new Body(id));").find());
        assertTrue(DATA_BINDING.matcher("json.readValue(item.payload(), StateChange.class)").find());
        assertTrue(DATA_BINDING.matcher(".end(Json.encode(new ErrorBody(code, message)));").find());
        assertFalse(DATA_BINDING.matcher("root = json.readTree(body);").find());
    }

    private static List<Path> sources() throws IOException {
        assertTrue(Files.isDirectory(MAIN), "run from the project directory: " + MAIN.toAbsolutePath());
        try (Stream<Path> files = Files.walk(MAIN)) {
            List<Path> java = files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
            assertFalse(java.isEmpty(), "no sources under " + MAIN.toAbsolutePath());
            return java;
        }
    }
}
