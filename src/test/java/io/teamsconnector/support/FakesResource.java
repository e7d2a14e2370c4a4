package io.teamsconnector.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Starts the Entra, Graph, contact-center and Webex fakes on dynamic ports and points the connector at them.
 * The fakes live as long as the test JVM's Quarkus application; tests reach them through
 * {@link #entra()}, {@link #graph()} and {@link #contactCenter()} and reset them before use. Declared
 * once, on {@code SdkGraphGatewayTest}, with the default (global) scope: every {@code @QuarkusTest} runs
 * against the same fakes.
 */
public class FakesResource implements QuarkusTestResourceLifecycleManager {

    private static volatile EntraFake entra;
    private static volatile GraphFake graph;
    private static volatile ContactCenterFake contactCenter;
    private static volatile WebexFake webex;

    public static EntraFake entra() {
        return entra;
    }

    public static GraphFake graph() {
        return graph;
    }

    public static ContactCenterFake contactCenter() {
        return contactCenter;
    }

    public static WebexFake webex() {
        return webex;
    }

    @Override
    public Map<String, String> start() {
        entra = new EntraFake();
        graph = new GraphFake();
        contactCenter = new ContactCenterFake();
        webex = new WebexFake();
        // a known port, so the Graph fake can reach the connector's webhooks at its public URL
        int port = FakeHttp.freePort();
        return Map.ofEntries(
                Map.entry("connector.webex-url", webex.baseUrl()),
                Map.entry("connector.webex-cc-url", webex.ccBaseUrl()),
                Map.entry("connector.webex-client-id", WebexFake.CLIENT_ID),
                Map.entry("connector.webex-client-secret", WebexFake.CLIENT_SECRET),
                Map.entry("quarkus.http.test-port", String.valueOf(port)),
                Map.entry("connector.public-url", "http://localhost:" + port),
                Map.entry("connector.login-url", entra.baseUrl()),
                Map.entry("connector.graph-url", graph.baseUrl()),
                Map.entry("connector.client-id", EntraFake.CLIENT_ID),
                Map.entry("connector.client-secret", EntraFake.CLIENT_SECRET),
                Map.entry("connector.contact-center", "webhook"),
                Map.entry("connector.contact-center-url", contactCenter.webhookUrl()),
                Map.entry("connector.contact-center-secret", ContactCenterFake.SECRET));
    }

    @Override
    public void stop() {
        for (AutoCloseable fake : new AutoCloseable[] {entra, graph, contactCenter, webex}) {
            try {
                if (fake != null) {
                    fake.close();
                }
            } catch (Exception e) {
                // the JVM ends with the tests
            }
        }
    }
}
