package io.teamsconnector.support;

import java.util.concurrent.CountDownLatch;

/**
 * Entra, Graph, a webhook receiver and Webex on fixed local ports, to try the connector by hand without a
 * Microsoft tenant (README, "Try presence sync locally"): {@code ./mvnw -q test-compile exec:java}.
 * Test keys and fake tokens only; nothing here talks to Microsoft.
 */
public final class LocalFakes {

    public static final int ENTRA_PORT = 8181;
    public static final int GRAPH_PORT = 8182;
    public static final int CONTACT_CENTER_PORT = 8183;
    public static final int WEBEX_PORT = 8184;

    private LocalFakes() {
    }

    public static void main(String[] args) throws InterruptedException {
        EntraFake entra = new EntraFake(ENTRA_PORT);
        GraphFake graph = new GraphFake(GRAPH_PORT);
        ContactCenterFake contactCenter = new ContactCenterFake(CONTACT_CENTER_PORT);
        WebexFake webex = new WebexFake(WEBEX_PORT);
        // Webex org "acme": its administrator is signed in, with two idle codes
        webex.signInAs(new WebexFake.Person("local-admin", "admin@acme.example", "Acme Admin", "acme"));
        webex.idleCode("acme", "idle-available", "Available", true);
        webex.idleCode("acme", "idle-call", "In a Teams call", false);
        // bench/expert-lookup.sh: every user Available, as for a directory of 100,000 generated experts
        String others = System.getProperty("fakes.presence-of-others");
        if (others != null) {
            graph.presenceOfOthers(others, others);
        }
        contactCenter.onReceived(r -> System.out.println("contact center received " + r.method() + " " + r.path()
                + " webhook-id=" + r.header("webhook-id") + " signature "
                + (ContactCenterFake.expectedSignature(r).equals(r.header("webhook-signature")) ? "valid" : "INVALID")
                + "\n  " + r.body()));
        System.out.println("Fakes running. Start the service with:");
        System.out.println("  CONNECTOR_API_KEYS=dev-key CONNECTOR_CLIENT_ID=" + EntraFake.CLIENT_ID
                + " CONNECTOR_CLIENT_SECRET=" + EntraFake.CLIENT_SECRET + " \\");
        System.out.println("  CONNECTOR_LOGIN_URL=" + entra.baseUrl() + " CONNECTOR_GRAPH_URL=" + graph.baseUrl() + " \\");
        System.out.println("  CONNECTOR_CONTACT_CENTER=webhook CONNECTOR_CONTACT_CENTER_URL=" + contactCenter.webhookUrl()
                + " CONNECTOR_CONTACT_CENTER_SECRET=" + ContactCenterFake.SECRET + " ./mvnw quarkus:dev");
        System.out.println("For Webex instead (CONNECTOR_CONTACT_CENTER=webex, a CONNECTOR_SECRET_KEY set): "
                + "CONNECTOR_WEBEX_URL=" + webex.baseUrl() + " CONNECTOR_WEBEX_CC_URL=" + webex.ccBaseUrl()
                + " CONNECTOR_WEBEX_CLIENT_ID=" + WebexFake.CLIENT_ID + " CONNECTOR_WEBEX_CLIENT_SECRET="
                + WebexFake.CLIENT_SECRET);
        System.out.println("Set a Teams presence: curl -X PUT -d '{\"availability\":\"Busy\",\"activity\":\"InACall\"}' "
                + "http://127.0.0.1:" + GRAPH_PORT + GraphFake.CONTROL + "<user id>");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            entra.close();
            graph.close();
            contactCenter.close();
            webex.close();
        }));
        new CountDownLatch(1).await();
    }
}
