package io.teamsconnector.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Starts the Entra, Graph and contact-center fakes on dynamic ports and points the connector at them.
 * The fakes live as long as the test JVM's Quarkus application; tests reach them through
 * {@link #entra()}, {@link #graph()} and {@link #contactCenter()} and reset them before use. Declared
 * once, on {@code SdkGraphGatewayTest}, with the default (global) scope: every {@code @QuarkusTest} runs
 * against the same fakes.
 */
public class FakesResource implements QuarkusTestResourceLifecycleManager {

    private static volatile EntraFake entra;
    private static volatile GraphFake graph;
    private static volatile ContactCenterFake contactCenter;

    public static EntraFake entra() {
        return entra;
    }

    public static GraphFake graph() {
        return graph;
    }

    public static ContactCenterFake contactCenter() {
        return contactCenter;
    }

    @Override
    public Map<String, String> start() {
        entra = new EntraFake();
        graph = new GraphFake();
        contactCenter = new ContactCenterFake();
        // a known port, so the Graph fake can reach the connector's webhooks at its public URL
        int port = FakeHttp.freePort();
        return Map.of(
                "quarkus.http.test-port", String.valueOf(port),
                "connector.public-url", "http://localhost:" + port,
                "connector.login-url", entra.baseUrl(),
                "connector.graph-url", graph.baseUrl(),
                "connector.client-id", EntraFake.CLIENT_ID,
                "connector.client-secret", EntraFake.CLIENT_SECRET,
                "connector.contact-center", "webhook",
                "connector.contact-center-url", contactCenter.webhookUrl(),
                "connector.contact-center-secret", ContactCenterFake.SECRET);
    }

    @Override
    public void stop() {
        for (AutoCloseable fake : new AutoCloseable[] {entra, graph, contactCenter}) {
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
