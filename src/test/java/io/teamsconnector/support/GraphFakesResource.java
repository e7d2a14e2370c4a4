package io.teamsconnector.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Starts the Entra and Graph fakes on dynamic ports and points the connector at them. The fakes
 * live as long as the test JVM's Quarkus application; tests reach them through {@link #entra()} and
 * {@link #graph()} and reset them before use. Declared once, on {@code SdkGraphGatewayTest}, with
 * the default (global) scope: every {@code @QuarkusTest} runs against the same fakes and one boot.
 */
public class GraphFakesResource implements QuarkusTestResourceLifecycleManager {

    private static volatile EntraFake entra;
    private static volatile GraphFake graph;

    public static EntraFake entra() {
        return entra;
    }

    public static GraphFake graph() {
        return graph;
    }

    @Override
    public Map<String, String> start() {
        entra = new EntraFake();
        graph = new GraphFake();
        return Map.of(
                "connector.login-url", entra.baseUrl(),
                "connector.graph-url", graph.baseUrl(),
                "connector.client-id", EntraFake.CLIENT_ID,
                "connector.client-secret", EntraFake.CLIENT_SECRET);
    }

    @Override
    public void stop() {
        if (entra != null) {
            entra.close();
        }
        if (graph != null) {
            graph.close();
        }
    }
}
