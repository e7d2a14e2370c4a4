package io.teamsconnector.experts;

import io.teamsconnector.support.FakesResource;
import io.teamsconnector.support.SyncScenario;
import io.teamsconnector.support.TestDatabase;
import io.teamsconnector.support.WebexFake;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

import static io.teamsconnector.support.TestData.api;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the widget tests start from: an active connector showing user details, three experts in its directory
 * mirror (from the Graph fake), and an agent signed in to Contact Center whose Webex token the Desktop holds.
 * Webex's people/me names the person and the org in their platform form, as Webex does.
 */
final class WidgetFixture {

    final SyncScenario scenario;
    final String agentId = UUID.randomUUID().toString();
    final WebexFake.Person person;
    final String token;

    WidgetFixture(TestDatabase db, String prefix) {
        FakesResource.graph().reset();
        FakesResource.webex().reset();
        scenario = SyncScenario.active(db, prefix);
        api().body("{\"showUserDetails\":true}").patch("/connectors/" + scenario.orgId).then().statusCode(200);
        FakesResource.graph().directory(scenario.tenant)
                .put(ExpertLookupTest.user(ExpertLookupTest.ADA, "Ada Lovelace", "Ada", "Lovelace", "Analyst",
                        "Mathematics", "\"+44 20 7946 0018\"", true))
                .put(ExpertLookupTest.user(ExpertLookupTest.ADAM, "Adam Smith", "Adam", "Smith", "Account Executive",
                        "Sales", "\"+1 415 555 0100\"", true))
                .put(ExpertLookupTest.user(ExpertLookupTest.ELODIE, "Élodie Brûlé", "Élodie", "Brûlé", "Ingénieure",
                        "Recherche", "\"+33 1 23 45 67 89\"", true));
        FakesResource.graph().setPresence(ExpertLookupTest.ADA, "Busy", "InACall");
        FakesResource.graph().setPresence(ExpertLookupTest.ADAM, "Available", "Available");
        FakesResource.graph().setPresence(ExpertLookupTest.ELODIE, "Away", "Away");
        assertTrue(SyncScenario.syncTick().getInt("directoryUsersSynced") >= 3);
        scenario.signIn(agentId, SyncScenario.newTeamsUser());
        person = new WebexFake.Person(platformId("PEOPLE", agentId), "agent@" + prefix + ".example", "Agent Smith",
                platformId("ORGANIZATION", scenario.orgId));
        token = FakesResource.webex().issueAccessToken(person);
    }

    /** Webex's platform form of an id: {@code base64("ciscospark://us/<TYPE>/<id>")}. */
    static String platformId(String type, String id) {
        return Base64.getEncoder().withoutPadding().encodeToString(
                ("ciscospark://us/" + type + "/" + id).getBytes(StandardCharsets.UTF_8));
    }

    /** The connector's base URL as the widget's host knows it. */
    static String connectorUrl() {
        return io.teamsconnector.support.TestData.publicUrl();
    }
}
