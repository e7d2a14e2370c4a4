package io.teamsconnector.experts;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.teamsconnector.support.FakesResource;
import io.teamsconnector.support.GraphFake;
import io.teamsconnector.support.Metrics;
import io.teamsconnector.support.SyncScenario;
import io.teamsconnector.support.TestDatabase;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.teamsconnector.support.TestData.api;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Expert lookup over the directory mirror, kept from the Graph fake's users delta (API.md, /expert-lookup). */
@QuarkusTest
class ExpertLookupTest {

    static final String ADA = "66825e03-7ef5-42da-9069-4da7d4f8e7a5";
    static final String ELODIE = "0b8f2c1e-0000-4000-8000-000000000002";
    static final String ADAM = "0b8f2c1e-0000-4000-8000-000000000003";
    static final String ZOE = "0b8f2c1e-0000-4000-8000-000000000004";
    static final String BOB = "0b8f2c1e-0000-4000-8000-000000000005";
    static final String CAROL = "0b8f2c1e-0000-4000-8000-000000000006";
    static final String DAN = "0b8f2c1e-0000-4000-8000-000000000007";

    @Inject
    TestDatabase db;

    GraphFake graph;
    SyncScenario scenario;
    GraphFake.Directory directory;

    static String user(String id, String display, String given, String surname, String title, String department,
                       String phones, boolean enabled) {
        return "{\"id\":\"" + id + "\",\"displayName\":\"" + display + "\",\"givenName\":\"" + given + "\","
                + "\"surname\":\"" + surname + "\",\"jobTitle\":" + (title == null ? "null" : "\"" + title + "\"")
                + ",\"department\":\"" + department + "\",\"businessPhones\":[" + phones + "],"
                + "\"mail\":\"" + given.toLowerCase() + "@contoso.example\",\"accountEnabled\":" + enabled + "}";
    }

    @BeforeEach
    void setUp() {
        graph = FakesResource.graph();
        graph.reset();
        scenario = SyncScenario.active(db, "experts");
        api().body("{\"showUserDetails\":true}").patch("/connectors/" + scenario.orgId).then().statusCode(200);
        directory = graph.directory(scenario.tenant)
                .put(user(ADA, "Ada Lovelace", "Ada", "Lovelace", "Analyst", "Mathematics", "\"+44 20 7946 0018\"", true))
                .put(user(ELODIE, "Élodie Brûlé", "Élodie", "Brûlé", "Ingénieure", "Recherche",
                        "\"+33 (1) 23-45-67-89\"", true))
                .put(user(ADAM, "Adam Smith", "Adam", "Smith", "Account Executive", "Sales",
                        "\"0800 123\",\"+1 415 555 0100\"", true))
                .put(user(ZOE, "Zoe Adams", "Zoe", "Adams", "Analyst", "Sales", "\"+14155550101\"", true))
                .put(user(BOB, "Bob Adair", "Bob", "Adair", "Analyst", "Sales", "", true))
                .put(user(CAROL, "Carol Ada", "Carol", "Ada", "Analyst", "Sales", "\"555-1234\"", true))
                .put(user(DAN, "Dan Adler", "Dan", "Adler", "Analyst", "Sales", "\"+14155550199\"", false));
        for (String id : List.of(ADA, ELODIE, ADAM, ZOE, BOB, CAROL, DAN)) {
            graph.setPresence(id, "Available", "Available");
        }
        assertTrue(SyncScenario.syncTick().getInt("directoryUsersSynced") >= 7);
        assertEquals(7, db.count("SELECT count(*) FROM directory_users WHERE org_id = $1", scenario.orgId),
                "a full sync, in pages of 2");
    }

    @AfterEach
    void tearDown() {
        scenario.deactivate();
    }

    private JsonPath lookup(String fields) {
        return api().body("{\"orgId\":\"" + scenario.orgId + "\"," + fields + "}").post("/expert-lookup").then()
                .statusCode(200).extract().jsonPath();
    }

    private List<String> names(String fields) {
        JsonPath answer = lookup(fields);
        assertNull(answer.get("unavailableReason"));
        return answer.getList("experts.displayName");
    }

    @Test
    void aQueryMatchesNamePrefixesDisplayNameFirstAndOnlyExperts() {
        assertEquals(List.of("Ada Lovelace", "Adam Smith", "Zoe Adams"), names("\"query\":\"ada\""));
        assertEquals(List.of("Zoe Adams"), names("\"query\":\"ADAMS\""));
        assertEquals(List.of("Ada Lovelace"), names("\"query\":\"love\""));
        assertEquals(List.of("Ada Lovelace"), names("\"query\":\"Ada Lo\""));
        assertEquals(List.of(), names("\"query\":\"bob\""), "no phone: not an expert");
        assertEquals(List.of(), names("\"query\":\"carol\""), "no E.164 phone");
        assertEquals(List.of(), names("\"query\":\"dan\""), "disabled");
        assertEquals(List.of(), names("\"query\":\"%\""), "LIKE's characters are only characters");
    }

    @Test
    void departmentAndJobTitleMatchToo() {
        assertEquals(List.of("Adam Smith", "Zoe Adams"), names("\"query\":\"sal\""));
        assertEquals(List.of("Ada Lovelace", "Zoe Adams"), names("\"query\":\"analy\""));
        assertEquals(List.of("Adam Smith"), names("\"query\":\"account ex\""));
    }

    @Test
    void accentsAndCaseDoNotMatter() {
        assertEquals(List.of("Élodie Brûlé"), names("\"query\":\"elod\""));
        assertEquals(List.of("Élodie Brûlé"), names("\"query\":\"BRU\""));
        assertEquals(List.of("Élodie Brûlé"), names("\"query\":\"ingé\""));
        assertEquals(List.of("Élodie Brûlé"), names("\"query\":\"recherche\""));
    }

    @Test
    void aFullPhoneNumberFindsItsExpertAndTheFirstE164NumberIsShown() {
        assertEquals(List.of("Ada Lovelace"), names("\"query\":\"+44 20 7946 0018\""));
        assertEquals(List.of("Ada Lovelace"), names("\"query\":\"442079460018\""));
        assertEquals(List.of("Élodie Brûlé"), names("\"query\":\"+33123456789\""));
        assertEquals(List.of("Adam Smith"), names("\"query\":\"+1 (415) 555-0100\""));
        assertEquals(List.of(), names("\"query\":\"+44 20\""), "only a full number");
        JsonPath adam = lookup("\"query\":\"adam\"");
        assertEquals("+14155550100", adam.getString("experts[0].businessPhone"));
        assertEquals("+33123456789", lookup("\"query\":\"elodie\"").getString("experts[0].businessPhone"));
    }

    @Test
    void filtersAreExactAndCaseInsensitive() {
        assertEquals(List.of("Adam Smith", "Zoe Adams"), names("\"department\":\"sales\""));
        assertEquals(List.of("Zoe Adams"), names("\"query\":\"a\",\"department\":\"SALES\",\"jobTitle\":\"analyst\""));
        assertEquals(List.of(), names("\"department\":\"Sal\""), "exact, not a prefix");
        assertEquals(List.of("Ada Lovelace", "Zoe Adams"), names("\"jobTitle\":\"Analyst\""));
    }

    @Test
    void limitBoundsTheResults() {
        assertEquals(List.of("Ada Lovelace"), names("\"query\":\"ada\",\"limit\":1"));
        assertEquals(2, names("\"query\":\"ada\",\"limit\":2").size());
        api().body("{\"orgId\":\"" + scenario.orgId + "\",\"query\":\"ada\",\"limit\":51}").post("/expert-lookup")
                .then().statusCode(400);
        api().body("{\"orgId\":\"" + scenario.orgId + "\",\"query\":\"  \"}").post("/expert-lookup")
                .then().statusCode(400);
    }

    @Test
    void deltaRoundsApplyChangesRemovalsAndLostPhones() {
        directory.update(ADA, "{\"jobTitle\":\"Chief Analyst\"}")
                .remove(ADAM)
                .update(ZOE, "{\"businessPhones\":[]}")
                .update(DAN, "{\"accountEnabled\":true}")
                .update(BOB, "{\"businessPhones\":[\"+1 415 555 0142\"]}");

        SyncScenario.syncTick();

        JsonPath ada = lookup("\"query\":\"ada lov\"");
        assertEquals("Chief Analyst", ada.getString("experts[0].jobTitle"));
        assertEquals("Mathematics", ada.getString("experts[0].department"), "what the round did not send is kept");
        assertEquals(List.of(), names("\"query\":\"adam\""), "deleted");
        assertEquals(List.of(), names("\"query\":\"zoe\""), "lost the phone");
        assertEquals(List.of("Dan Adler"), names("\"query\":\"dan\""), "enabled again, with the stored details");
        assertEquals(List.of("Bob Adair"), names("\"query\":\"bob\""), "got a phone");
        assertEquals(1, graph.requests(scenario.tenant).stream()
                .filter(r -> r.path().contains("/users/delta") && r.query() != null && r.query().contains("deltatoken"))
                .count(), "one delta round from the stored link");
    }

    @Test
    void anExpiredDeltaLinkLeadsToAFullSyncThatDropsWhatIsGone() {
        directory.expireDeltaLinks();
        directory.remove(ZOE);

        SyncScenario.syncTick(); // refused: a full sync is due
        SyncScenario.syncTick();

        assertEquals(List.of("Ada Lovelace", "Adam Smith"), names("\"query\":\"ada\""));
        assertEquals(0, db.count("SELECT count(*) FROM directory_users WHERE org_id = $1 AND user_id = $2",
                scenario.orgId, ZOE));
    }

    @Test
    void aRoundGraphBrokeOffResumesWhereItStopped() {
        directory.expireDeltaLinks().remove(ZOE).failPage(4, 3);
        SyncScenario.syncTick(); // the delta link is refused: a full sync is due
        SyncScenario.syncTick(); // pages 1 and 2, then Graph fails (3 attempts)
        assertEquals(List.of("Ada Lovelace", "Adam Smith", "Zoe Adams"), names("\"query\":\"ada\""),
                "the full sync is not finished: nothing dropped yet");
        db.update("UPDATE directory_syncs SET next_sync_at = now() WHERE org_id = $1", scenario.orgId);
        int before = graph.requests(scenario.tenant).size();

        SyncScenario.syncTick();

        GraphFake.Request resumed = graph.requests(scenario.tenant).get(before);
        assertTrue(resumed.query().contains("skiptoken=s4"), "resumed at the failed page: " + resumed.query());
        assertEquals(List.of("Ada Lovelace", "Adam Smith"), names("\"query\":\"ada\""), "finished: Zoe is gone");
    }

    @Test
    void resultsCarryLivePresenceWithOneGraphReadPerPage() {
        graph.setPresence(ADA, "Busy", "InACall");
        graph.setPresence(ADAM, "DoNotDisturb", "Presenting");
        int reads = graph.presenceReads(scenario.tenant).size();

        JsonPath answer = lookup("\"query\":\"ada\"");

        assertEquals("Busy", answer.getString("experts[0].presence.availability"));
        assertEquals("InACall", answer.getString("experts[0].presence.activity"));
        assertEquals("Presenting", answer.getString("experts[1].presence.activity"));
        assertEquals("Available", answer.getString("experts[2].presence.availability"));
        List<List<String>> all = graph.presenceReads(scenario.tenant);
        assertEquals(reads + 1, all.size(), "one read for the page");
        assertEquals(3, all.get(all.size() - 1).size());

        lookup("\"query\":\"ada\"");
        assertEquals(reads + 1, graph.presenceReads(scenario.tenant).size(), "read again within seconds: cached");
    }

    @Test
    void aTrackedAgentsPresenceIsUsedWithoutAskingGraph() {
        api().body("{\"teamsIntegration\":true}").put("/connectors/" + scenario.orgId + "/profiles/p-1")
                .then().statusCode(200);
        graph.setPresence(ELODIE, "Busy", "InAMeeting");
        scenario.signIn("agent-elodie", ELODIE);
        db.awaitEvaluated(scenario.orgId, "agent-elodie");
        int reads = graph.presenceReads(scenario.tenant).size();

        JsonPath answer = lookup("\"query\":\"elodie\"");

        assertEquals("InAMeeting", answer.getString("experts[0].presence.activity"));
        assertEquals(reads, graph.presenceReads(scenario.tenant).size());
    }

    @Test
    void whenTheTenantsPresenceBudgetIsSpentResultsComeWithoutPresenceAtOnce() {
        // the window is full, and its oldest second leaves it in about 4 s: a background read would wait for that
        db.update("INSERT INTO presence_budget (tenant_id, slice_start, used) "
                + "VALUES ($1, date_trunc('second', now()) - interval '27 seconds', 1400)", scenario.tenant);
        int reads = graph.presenceReads(scenario.tenant).size();
        double timedOut = Metrics.value("expert_presence_total", "source=\"timeout\"");
        double throttled = Metrics.value("expert_presence_total", "source=\"throttled\"");

        JsonPath answer = lookup("\"query\":\"zoe\"");

        assertEquals(List.of("Zoe Adams"), answer.getList("experts.displayName"));
        assertNull(answer.get("experts[0].presence"));
        assertEquals(reads, graph.presenceReads(scenario.tenant).size(), "Graph not asked beyond the budget");
        assertEquals(throttled + 1, Metrics.value("expert_presence_total", "source=\"throttled\""));
        assertEquals(timedOut, Metrics.value("expert_presence_total", "source=\"timeout\""),
                "the lookup did not wait for room until its presence timeout");
    }

    @Test
    void whenGraphIsSlowResultsComeWithoutPresenceRatherThanLate() throws Exception {
        try (AutoCloseable slow = graph.holdPresenceReads()) {
            JsonPath answer = lookup("\"query\":\"zoe\"");

            // presence reads are held until this block ends: an answer without presence did not wait for them
            assertEquals(List.of("Zoe Adams"), answer.getList("experts.displayName"));
            assertNull(answer.get("experts[0].presence"));
        }
    }

    @Test
    void lookupIsGatedByTheAgentsProfile() {
        scenario.signIn("agent-1", SyncScenario.newTeamsUser());
        api().body("{\"teamsIntegration\":false}").put("/connectors/" + scenario.orgId + "/profiles/p-1")
                .then().statusCode(200);
        assertEquals("PROFILE_DISABLED", lookup("\"query\":\"ada\",\"agentId\":\"agent-1\"").getString("unavailableReason"));
        assertEquals("PROFILE_DISABLED", lookup("\"query\":\"ada\",\"agentId\":\"nobody\"").getString("unavailableReason"));
        assertEquals(List.of(), lookup("\"query\":\"ada\",\"agentId\":\"nobody\"").getList("experts"));

        api().body("{\"teamsIntegration\":true}").put("/connectors/" + scenario.orgId + "/profiles/p-1")
                .then().statusCode(200);
        assertEquals(3, lookup("\"query\":\"ada\",\"agentId\":\"agent-1\"").getList("experts").size());

        api().body("{\"showUserDetails\":false}").patch("/connectors/" + scenario.orgId).then().statusCode(200);
        assertEquals("USER_DETAILS_DISABLED", lookup("\"query\":\"ada\"").getString("unavailableReason"));
        scenario.deactivate();
        assertEquals("CONNECTOR_INACTIVE", lookup("\"query\":\"ada\"").getString("unavailableReason"));
    }
}
