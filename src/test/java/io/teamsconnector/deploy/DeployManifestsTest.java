package io.teamsconnector.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Node;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The manifests under {@code deploy/} against the project: images name a function and the project's version,
 * one Knative Service per function with its scaling and visibility, environment variables the README documents,
 * probes on the health endpoints, a complete kustomization. Plain JUnit: no application is started.
 */
class DeployManifestsTest {

    /** The function set; each is built from {@code src/functions/<name>/pom.xml}. */
    static final List<String> FUNCTIONS = List.of("consent", "graph-webhook", "expert-lookup", "agent-event", "admin", "sync");
    static final Set<String> PUBLIC_FUNCTIONS = Set.of("consent", "graph-webhook", "agent-event", "expert-lookup", "admin");
    static final Set<String> PROBE_PATHS = Set.of("/q/health/live", "/q/health/ready");
    /** The functions that scale to zero with light load run C1 only (README, Cold start); graph-webhook and sync keep C2. */
    static final Set<String> C1_ONLY_FUNCTIONS = Set.of("consent", "expert-lookup", "agent-event", "admin");
    static final String C1_ONLY = "-XX:TieredStopAtLevel=1";
    static final String FUNCTIONS_DIR = "deploy/functions/";
    static final String KUSTOMIZATION = FUNCTIONS_DIR + "kustomization.yaml";

    /** {@code registry.example.com/teams-connector:<version>} or {@code registry.example.com/teams-connector-<function>:<version>}. */
    private static final Pattern OUR_IMAGE = Pattern.compile("registry\\.example\\.com/teams-connector(?:-([a-z0-9-]+))?:([^:@/]+)");
    private static final String OUR_REGISTRY = "registry.example.com/";
    private static final String MIN_SCALE = "autoscaling.knative.dev/min-scale";
    private static final String MAX_SCALE = "autoscaling.knative.dev/max-scale";
    private static final String VISIBILITY = "networking.knative.dev/visibility";
    private static final String SECRET = "teams-connector";
    private static final Pattern BACKTICKED = Pattern.compile("`([^`]+)`");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path ROOT = projectRoot();

    /** One YAML document and the file it came from, relative to the project root. */
    record Manifest(String file, JsonNode doc) {
    }

    // ---- the project's manifests ----

    @Test
    void everyImageIsTheAllInOneOrAFunctionAtTheProjectVersion() {
        assertNoProblems(imageProblems(manifests(), FUNCTIONS, releaseVersion()));
    }

    /** Fails until the build's function poms exist (they are written apart from the manifests). */
    @Test
    void everyFunctionHasItsPom() {
        List<String> missing = FUNCTIONS.stream()
                .filter(name -> !Files.isRegularFile(ROOT.resolve("src/functions/" + name + "/pom.xml")))
                .map(name -> "src/functions/" + name + "/pom.xml is missing, yet " + FUNCTIONS_DIR + name
                        + ".yaml deploys the function " + name)
                .toList();
        assertNoProblems(missing);
    }

    @Test
    void everyFunctionHasOneKnativeServiceWithItsScaling() {
        assertNoProblems(serviceProblems(manifests(), FUNCTIONS));
    }

    @Test
    void onlyConsentGraphWebhookAndAgentEventHavePublicRoutes() {
        assertNoProblems(visibilityProblems(manifests(), PUBLIC_FUNCTIONS));
    }

    @Test
    void everyEnvironmentVariableIsInTheReadmeConfigurationTable() {
        Set<String> documented = documentedVariables(read(ROOT.resolve("README.md")));
        assertTrue(documented.contains("CONNECTOR_PUBLIC_URL"), "README.md: no Configuration table found");
        assertNoProblems(envProblems(manifests(), documented));
    }

    @Test
    void theLightFunctionsThatScaleToZeroRunC1OnlyAndTheOthersKeepC2() {
        assertNoProblems(jvmOptionProblems(manifests(), C1_ONLY_FUNCTIONS));
    }

    @Test
    void everyProbeIsAHealthEndpoint() {
        assertNoProblems(probeProblems(manifests()));
    }

    @Test
    void theKustomizationListsEveryManifestOfTheFunctionSet() {
        List<Manifest> kustomizations = manifests().stream().filter(m -> m.file().equals(KUSTOMIZATION)).toList();
        assertEquals(1, kustomizations.size(), KUSTOMIZATION + ": expected one document");
        assertNoProblems(kustomizationProblems(kustomizations.get(0), filesIn(FUNCTIONS_DIR)));
    }

    // ---- the checks report what they should (in-memory manifests) ----

    @Test
    void anUndocumentedEnvironmentVariableIsReportedWithItsFile() {
        List<Manifest> manifests = parse("deploy/functions/example.yaml", """
                apiVersion: v1
                kind: Secret
                metadata:
                  name: teams-connector
                stringData:
                  CONNECTOR_API_KEYS: k
                ---
                apiVersion: serving.knative.dev/v1
                kind: Service
                spec:
                  template:
                    spec:
                      containers:
                        - image: registry.example.com/teams-connector-sync:0.1.0
                          env:
                            - name: CONNECTOR_PUBLIC_URL
                              value: https://x.example.com
                            - name: QUARKUS_LOG_LEVEL
                              value: DEBUG
                            - name: CONNECTOR_NO_SUCH_THING
                              value: "1"
                """);

        assertEquals(2, manifests.size());
        assertEquals(List.of("deploy/functions/example.yaml: env CONNECTOR_NO_SUCH_THING is not in the README's Configuration table"),
                envProblems(manifests, Set.of("CONNECTOR_PUBLIC_URL", "CONNECTOR_API_KEYS")));
        assertEquals(List.of("deploy/functions/example.yaml: env CONNECTOR_API_KEYS is not in the README's Configuration table",
                        "deploy/functions/example.yaml: env CONNECTOR_NO_SUCH_THING is not in the README's Configuration table"),
                envProblems(manifests, Set.of("CONNECTOR_PUBLIC_URL")));
    }

    @Test
    void theReadmeTableYieldsEveryBacktickedNameOfItsFirstColumn() {
        String readme = """
                ## Quick start
                | `NOT_CONFIG` | x | y |
                ## Configuration
                | variable | meaning | default |
                |---|---|---|
                | `CONNECTOR_A` / `CONNECTOR_B` | about `CONNECTOR_C` | `x` |
                ## Tests
                | `NOT_CONFIG_EITHER` | x | y |
                """;

        assertEquals(Set.of("CONNECTOR_A", "CONNECTOR_B"), documentedVariables(readme));
    }

    @Test
    void anImageOfAnUnknownFunctionOrAnotherVersionIsReported() {
        List<Manifest> manifests = parse("deploy/x.yaml", """
                kind: Job
                spec:
                  template:
                    spec:
                      containers:
                        - image: registry.example.com/teams-connector:0.1.0
                        - image: registry.example.com/teams-connector-sync:0.2.0
                        - image: registry.example.com/teams-connector-billing:0.1.0
                        - image: registry.example.com/other:0.1.0
                        - image: curlimages/curl:8.10.1
                """);

        assertEquals(List.of(
                        "deploy/x.yaml: image registry.example.com/teams-connector-sync:0.2.0 has version 0.2.0, the project's is 0.1.0",
                        "deploy/x.yaml: image registry.example.com/teams-connector-billing:0.1.0 names billing, which is not a function "
                                + FUNCTIONS,
                        "deploy/x.yaml: image registry.example.com/other:0.1.0 is neither registry.example.com/teams-connector:<version> "
                                + "nor registry.example.com/teams-connector-<function>:<version>"),
                imageProblems(manifests, FUNCTIONS, "0.1.0"));
    }

    @Test
    void aMissingServiceWrongScalingAndAWrongVisibilityAreReported() {
        List<Manifest> manifests = new ArrayList<>();
        manifests.addAll(parse("deploy/functions/consent.yaml", knativeService("consent", "0", true)));
        manifests.addAll(parse("deploy/functions/sync.yaml", knativeService("sync", "0", false)));
        manifests.addAll(parse("deploy/functions/admin.yaml", knativeService("admin", "0", false)));

        assertEquals(List.of(
                        "deploy/functions/sync.yaml: function sync has min-scale 0, expected 1",
                        "deploy/functions/sync.yaml: function sync has max-scale <none>, expected 2",
                        "deploy/functions: function graph-webhook has no Knative Service"),
                serviceProblems(manifests, List.of("consent", "graph-webhook", "sync")));
        assertEquals(List.of(
                        "deploy/functions/consent.yaml: function consent must have a public route, but it is labelled "
                                + VISIBILITY + ": cluster-local",
                        "deploy/functions/sync.yaml: function sync must be labelled " + VISIBILITY + ": cluster-local",
                        "deploy/functions/admin.yaml: function admin must be labelled " + VISIBILITY + ": cluster-local"),
                visibilityProblems(manifests, Set.of("consent")));
    }

    @Test
    void aFunctionWithoutItsJvmOptionsOrWithOptionsItShouldNotHaveIsReported() {
        List<Manifest> manifests = new ArrayList<>();
        manifests.addAll(parse("deploy/functions/consent.yaml", knativeService("consent", "0", false)));
        manifests.addAll(parse("deploy/functions/sync.yaml", knativeService("sync", "1", true).replace(
                "          envFrom:", "          env:\n            - name: JDK_JAVA_OPTIONS\n              value: " + C1_ONLY
                        + "\n          envFrom:")));

        assertEquals(List.of(
                        "deploy/functions/consent.yaml: function consent has JDK_JAVA_OPTIONS <none>, expected " + C1_ONLY,
                        "deploy/functions/sync.yaml: function sync has JDK_JAVA_OPTIONS " + C1_ONLY + ", expected <none>"),
                jvmOptionProblems(manifests, Set.of("consent")));
    }

    @Test
    void aProbeOffTheHealthEndpointsIsReported() {
        List<Manifest> manifests = parse("deploy/functions/admin.yaml", """
                kind: Service
                spec:
                  template:
                    spec:
                      containers:
                        - image: registry.example.com/teams-connector-admin:0.1.0
                          readinessProbe:
                            httpGet:
                              path: /connectors
                          livenessProbe:
                            httpGet:
                              path: /q/health/live
                """);

        assertEquals(List.of("deploy/functions/admin.yaml: readinessProbe path /connectors is not one of " + new TreeSet<>(PROBE_PATHS)),
                probeProblems(manifests));
    }

    @Test
    void aKustomizationMissingAFileOrListingAnAbsentOneIsReported() {
        Manifest kustomization = parse(KUSTOMIZATION, """
                resources:
                  - consent.yaml
                  - gone.yaml
                """).get(0);

        assertEquals(List.of(
                        KUSTOMIZATION + ": lists gone.yaml, which does not exist in " + FUNCTIONS_DIR,
                        KUSTOMIZATION + ": does not list sync.yaml"),
                kustomizationProblems(kustomization, Set.of("consent.yaml", "kustomization.yaml", "sync.yaml")));
    }

    // ---- the checks ----

    static List<String> imageProblems(List<Manifest> manifests, List<String> functions, String version) {
        List<String> problems = new ArrayList<>();
        forEachContainer(manifests, (file, container) -> {
            String image = container.path("image").asText("");
            Matcher ours = OUR_IMAGE.matcher(image);
            if (ours.matches()) {
                String function = ours.group(1);
                if (function != null && !functions.contains(function)) {
                    problems.add(file + ": image " + image + " names " + function + ", which is not a function " + functions);
                } else if (!ours.group(2).equals(version)) {
                    problems.add(file + ": image " + image + " has version " + ours.group(2) + ", the project's is " + version);
                }
            } else if (image.isEmpty() || image.startsWith(OUR_REGISTRY)) {
                problems.add(file + ": image " + (image.isEmpty() ? "<none>" : image) + " is neither "
                        + OUR_REGISTRY + "teams-connector:<version> nor " + OUR_REGISTRY + "teams-connector-<function>:<version>");
            }
        });
        return problems;
    }

    /** One Knative Service per function in deploy/functions/, in {@code <function>.yaml}, with its scaling, Secret and probes. */
    static List<String> serviceProblems(List<Manifest> manifests, List<String> functions) {
        List<String> problems = new ArrayList<>();
        Map<String, List<String>> filesByFunction = new TreeMap<>();
        for (Manifest service : functionServices(manifests)) {
            String function = functionOf(service);
            if (function == null) {
                problems.add(service.file() + ": Knative Service " + service.doc().path("metadata").path("name").asText()
                        + " runs no function image");
                continue;
            }
            filesByFunction.computeIfAbsent(function, f -> new ArrayList<>()).add(service.file());
            if (!service.file().equals(FUNCTIONS_DIR + function + ".yaml")) {
                problems.add(service.file() + ": the Knative Service of " + function + " belongs in " + FUNCTIONS_DIR + function + ".yaml");
            }
            JsonNode annotations = service.doc().path("spec").path("template").path("metadata").path("annotations");
            String minScale = annotations.path(MIN_SCALE).asText("<none>");
            String expectedMin = function.equals("sync") ? "1" : "0";
            if (!minScale.equals(expectedMin)) {
                problems.add(service.file() + ": function " + function + " has min-scale " + minScale + ", expected " + expectedMin);
            }
            if (function.equals("sync") && !annotations.path(MAX_SCALE).asText("<none>").equals("2")) {
                problems.add(service.file() + ": function sync has max-scale " + annotations.path(MAX_SCALE).asText("<none>")
                        + ", expected 2");
            }
            for (JsonNode container : service.doc().path("spec").path("template").path("spec").path("containers")) {
                boolean takesSecret = false;
                for (JsonNode source : container.path("envFrom")) {
                    takesSecret |= source.path("secretRef").path("name").asText().equals(SECRET);
                }
                if (!takesSecret) {
                    problems.add(service.file() + ": function " + function + " does not take envFrom the Secret " + SECRET);
                }
                if (!container.path("readinessProbe").path("httpGet").path("path").asText().equals("/q/health/ready")
                        || !container.path("livenessProbe").path("httpGet").path("path").asText().equals("/q/health/live")) {
                    problems.add(service.file() + ": function " + function + " needs a readinessProbe on /q/health/ready"
                            + " and a livenessProbe on /q/health/live");
                }
            }
        }
        for (String function : functions) {
            List<String> files = filesByFunction.getOrDefault(function, List.of());
            if (files.isEmpty()) {
                problems.add("deploy/functions: function " + function + " has no Knative Service");
            } else if (files.size() > 1) {
                problems.add("deploy/functions: function " + function + " has " + files.size() + " Knative Services, in " + files);
            }
        }
        return problems;
    }

    /** Exactly the public functions lack the cluster-local label. */
    static List<String> visibilityProblems(List<Manifest> manifests, Set<String> publicFunctions) {
        List<String> problems = new ArrayList<>();
        forEachFunctionService(manifests, (service, function) -> {
            boolean clusterLocal = service.doc().path("metadata").path("labels").path(VISIBILITY).asText().equals("cluster-local");
            if (publicFunctions.contains(function) && clusterLocal) {
                problems.add(service.file() + ": function " + function + " must have a public route, but it is labelled "
                        + VISIBILITY + ": cluster-local");
            } else if (!publicFunctions.contains(function) && !clusterLocal) {
                problems.add(service.file() + ": function " + function + " must be labelled " + VISIBILITY + ": cluster-local");
            }
        });
        return problems;
    }

    /** Every env[].name of a container, and every key of a Secret (they reach the containers through envFrom). */
    static List<String> envProblems(List<Manifest> manifests, Set<String> documented) {
        List<String> problems = new ArrayList<>();
        BiConsumer<String, String> check = (file, name) -> {
            if (!name.startsWith("QUARKUS_") && !documented.contains(name)) {
                problems.add(file + ": env " + name + " is not in the README's Configuration table");
            }
        };
        for (Manifest manifest : manifests) {
            if (manifest.doc().path("kind").asText().equals("Secret")) {
                Stream.of("stringData", "data").forEach(section ->
                        manifest.doc().path(section).fieldNames().forEachRemaining(key -> check.accept(manifest.file(), key)));
            }
        }
        forEachContainer(manifests, (file, container) -> {
            for (JsonNode env : container.path("env")) {
                check.accept(file, env.path("name").asText("<no name>"));
            }
        });
        return problems;
    }

    /** JDK_JAVA_OPTIONS of each function's container: C1 only for {@code c1Only}, none for the others. */
    static List<String> jvmOptionProblems(List<Manifest> manifests, Set<String> c1Only) {
        List<String> problems = new ArrayList<>();
        forEachFunctionService(manifests, (service, function) -> {
            String expected = c1Only.contains(function) ? C1_ONLY : "<none>";
            for (JsonNode container : service.doc().path("spec").path("template").path("spec").path("containers")) {
                String options = "<none>";
                for (JsonNode env : container.path("env")) {
                    if (env.path("name").asText().equals("JDK_JAVA_OPTIONS")) {
                        options = env.path("value").asText();
                    }
                }
                if (!options.equals(expected)) {
                    problems.add(service.file() + ": function " + function + " has JDK_JAVA_OPTIONS " + options
                            + ", expected " + expected);
                }
            }
        });
        return problems;
    }

    static List<String> probeProblems(List<Manifest> manifests) {
        List<String> problems = new ArrayList<>();
        forEachContainer(manifests, (file, container) -> {
            for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
                JsonNode httpGet = container.path(probe).path("httpGet");
                if (!httpGet.isMissingNode() && !PROBE_PATHS.contains(httpGet.path("path").asText())) {
                    problems.add(file + ": " + probe + " path " + httpGet.path("path").asText("<none>")
                            + " is not one of " + new TreeSet<>(PROBE_PATHS));
                }
            }
        });
        return problems;
    }

    /** The kustomization lists every other YAML file of its directory, and only files that exist there. */
    static List<String> kustomizationProblems(Manifest kustomization, Set<String> filesInDirectory) {
        List<String> problems = new ArrayList<>();
        Set<String> listed = new TreeSet<>();
        kustomization.doc().path("resources").forEach(resource -> listed.add(resource.asText()));
        for (String file : listed) {
            if (!filesInDirectory.contains(file)) {
                problems.add(kustomization.file() + ": lists " + file + ", which does not exist in " + FUNCTIONS_DIR);
            }
        }
        for (String file : new TreeSet<>(filesInDirectory)) {
            boolean manifest = file.endsWith(".yaml") || file.endsWith(".yml");
            if (manifest && !file.equals("kustomization.yaml") && !listed.contains(file)) {
                problems.add(kustomization.file() + ": does not list " + file);
            }
        }
        return problems;
    }

    /** The names in backticks in the first cell of each row of the README's Configuration table. */
    static Set<String> documentedVariables(String readme) {
        Set<String> names = new TreeSet<>();
        boolean inConfiguration = false;
        for (String line : readme.lines().toList()) {
            if (line.startsWith("## ")) {
                inConfiguration = line.strip().equals("## Configuration");
            } else if (inConfiguration && line.startsWith("|")) {
                String firstCell = line.substring(1).split("\\|", 2)[0];
                Matcher name = BACKTICKED.matcher(firstCell);
                while (name.find()) {
                    names.add(name.group(1).strip());
                }
            }
        }
        return names;
    }

    // ---- reading ----

    private static List<Manifest> functionServices(List<Manifest> manifests) {
        return manifests.stream()
                .filter(m -> m.file().startsWith(FUNCTIONS_DIR))
                .filter(m -> m.doc().path("kind").asText().equals("Service")
                        && m.doc().path("apiVersion").asText("serving.knative.dev/v1").startsWith("serving.knative.dev/"))
                .toList();
    }

    /** Each Knative Service of deploy/functions that runs one of our function images, with that function. */
    private static void forEachFunctionService(List<Manifest> manifests, BiConsumer<Manifest, String> action) {
        for (Manifest service : functionServices(manifests)) {
            String function = functionOf(service);
            if (function != null) {
                action.accept(service, function);
            }
        }
    }

    /** The function whose image a Knative Service runs, or null. */
    private static String functionOf(Manifest service) {
        for (JsonNode container : service.doc().path("spec").path("template").path("spec").path("containers")) {
            Matcher ours = OUR_IMAGE.matcher(container.path("image").asText());
            if (ours.matches() && ours.group(1) != null) {
                return ours.group(1);
            }
        }
        return null;
    }

    /** Every container and init container, wherever it sits (Service, Job, CronJob). */
    private static void forEachContainer(List<Manifest> manifests, BiConsumer<String, JsonNode> action) {
        for (Manifest manifest : manifests) {
            walk(manifest.doc(), container -> action.accept(manifest.file(), container));
        }
    }

    private static void walk(JsonNode node, Consumer<JsonNode> containerAction) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                if ((field.getKey().equals("containers") || field.getKey().equals("initContainers")) && field.getValue().isArray()) {
                    field.getValue().forEach(containerAction);
                } else {
                    walk(field.getValue(), containerAction);
                }
            });
        } else if (node.isArray()) {
            node.forEach(element -> walk(element, containerAction));
        }
    }

    /** Every YAML document of every file under deploy/. */
    static List<Manifest> manifests() {
        try (Stream<Path> files = Files.walk(ROOT.resolve("deploy"))) {
            List<Manifest> manifests = files
                    .filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .sorted()
                    .flatMap(p -> parse(ROOT.relativize(p).toString().replace('\\', '/'), read(p)).stream())
                    .toList();
            assertTrue(manifests.size() > 3, "deploy/: expected the manifests, found " + manifests.size() + " documents");
            return manifests;
        } catch (IOException e) {
            throw new AssertionError("deploy/: cannot be listed: " + e.getMessage(), e);
        }
    }

    static List<Manifest> parse(String file, String yaml) {
        List<Manifest> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (docs.hasNextValue()) {
                JsonNode doc = docs.nextValue();
                if (doc != null && doc.isObject()) {
                    documents.add(new Manifest(file, doc));
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new AssertionError(file + ": not valid YAML: " + e.getMessage(), e);
        }
        return documents;
    }

    private static Set<String> filesIn(String directory) {
        try (Stream<Path> files = Files.list(ROOT.resolve(directory))) {
            return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new AssertionError(directory + ": cannot be listed: " + e.getMessage(), e);
        }
    }

    /** The version the images carry: the project's version in pom.xml, without -SNAPSHOT. */
    private static String releaseVersion() {
        try {
            var factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            var project = factory.newDocumentBuilder().parse(ROOT.resolve("pom.xml").toFile()).getDocumentElement();
            for (Node child = project.getFirstChild(); child != null; child = child.getNextSibling()) {
                if ("version".equals(child.getNodeName())) {
                    return child.getTextContent().strip().replaceFirst("-SNAPSHOT$", "");
                }
            }
        } catch (Exception e) {
            throw new AssertionError("pom.xml: cannot be read: " + e.getMessage(), e);
        }
        throw new AssertionError("pom.xml: no project version");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new AssertionError(ROOT.relativize(file) + ": cannot be read: " + e.getMessage(), e);
        }
    }

    /** The directory holding pom.xml, README.md and deploy/, from wherever the test runs. */
    private static Path projectRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isRegularFile(dir.resolve("README.md"))
                    && Files.isDirectory(dir.resolve("deploy"))) {
                return dir;
            }
        }
        throw new AssertionError("no directory with pom.xml, README.md and deploy/ above " + Path.of("").toAbsolutePath());
    }

    private static String knativeService(String function, String minScale, boolean clusterLocal) {
        return """
                apiVersion: serving.knative.dev/v1
                kind: Service
                metadata:
                  name: teams-connector-%s
                  labels:
                    %s
                spec:
                  template:
                    metadata:
                      annotations:
                        autoscaling.knative.dev/min-scale: "%s"
                    spec:
                      containers:
                        - image: registry.example.com/teams-connector-%s:0.1.0
                          envFrom:
                            - secretRef:
                                name: teams-connector
                          readinessProbe:
                            httpGet:
                              path: /q/health/ready
                          livenessProbe:
                            httpGet:
                              path: /q/health/live
                """.formatted(function, clusterLocal ? VISIBILITY + ": cluster-local" : "app: x", minScale, function);
    }

    private static void assertNoProblems(List<String> problems) {
        if (!problems.isEmpty()) {
            fail(problems.size() + " problem(s):\n  " + String.join("\n  ", problems));
        }
    }
}
