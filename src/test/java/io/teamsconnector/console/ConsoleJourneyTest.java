package io.teamsconnector.console;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.teamsconnector.support.Chromium;
import io.teamsconnector.support.FakesResource;
import io.teamsconnector.support.GraphFake;
import io.teamsconnector.support.SyncScenario;
import io.teamsconnector.support.TestData;
import io.teamsconnector.support.WebexFake;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.teamsconnector.support.TestData.api;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin console's journeys in a real headless Chromium (README, The admin console), each checked through the
 * API as well as on the page, and each page checked by axe-core. The screenshots of the README come from here.
 */
@QuarkusTest
class ConsoleJourneyTest {

    Chromium chromium;
    ConsoleBrowser console;

    @BeforeEach
    void startBrowser() {
        chromium = Chromium.start();
        console = new ConsoleBrowser(chromium);
    }

    @AfterEach
    void closeBrowser() {
        chromium.close();
    }

    @Test
    void anOperatorSignsInCreatesAConnectorAndAuthorizesIt() {
        console.open("/console");
        console.find(By.id("webex-sign-in"));
        console.checkAndShoot("console-sign-in");

        console.signInAsOperator("not-a-key");
        console.awaitText(By.cssSelector("[role=alert]"), "That API key is not valid.");
        console.signInAsOperator(TestData.API_KEY);
        console.awaitText(By.tagName("h1"), "Connectors");

        String orgId = TestData.newOrgId("console");
        console.find(By.id("orgId")).sendKeys(orgId);
        console.find(By.cssSelector("form[action='/console/connectors'] button")).click();
        console.awaitText(By.tagName("h1"), "Connector " + orgId);
        assertEquals("Pending consent", console.text(By.id("status")));
        api().get("/connectors/" + orgId).then().statusCode(200).body("status", equalTo("PENDING_CONSENT"));
        console.checkAndShoot(null);

        // Authorize: Microsoft's admin consent in a new window; the fake's administrator grants it
        String tenant = UUID.randomUUID().toString();
        FakesResource.entra().grantConsentsAs(tenant);
        inNewWindow(By.id("authorize"), "/consent/callback");

        // the page turns Active by itself
        console.awaitText(By.id("status"), "Active");
        assertEquals(tenant, console.text(By.id("tenant")));
        api().get("/connectors/" + orgId).then().statusCode(200)
                .body("status", equalTo("ACTIVE")).body("tenantId", equalTo(tenant));
        console.find(By.id("deactivate"));

        console.open("/console/connectors");
        console.find(By.linkText(orgId));
        console.checkAndShoot("console-connectors");
    }

    @Test
    void togglesMappingAndAProfileSwitchSaveAtOnce() {
        String orgId = TestData.newOrgId("console-settings");
        api().body("{}").put("/connectors/" + orgId).then().statusCode(201);
        console.signInAsOperator(TestData.API_KEY);
        console.open("/console/connectors/" + orgId);

        // the two toggles
        console.find(By.id("presenceSync")).click();
        console.awaitText(By.id("settings-saved"), "Presence sync is off.");
        api().get("/connectors/" + orgId).then().body("presenceSync", equalTo(false));
        console.find(By.id("showUserDetails")).click();
        console.awaitText(By.id("settings-saved"), "Show user details is on.");
        api().get("/connectors/" + orgId).then().body("showUserDetails", equalTo(true))
                .body("presenceSync", equalTo(false));
        // write-back (issue 15), the third switch
        console.find(By.id("teamsWriteBack")).click();
        console.awaitText(By.id("settings-saved"), "Teams write-back is on.");
        api().get("/connectors/" + orgId).then().body("teamsWriteBack", equalTo(true))
                .body("showUserDetails", equalTo(true));

        // the mapping: free text without a Webex link, one row per Teams state plus any other
        console.find(By.id("code-DoNotDisturb")).sendKeys("idle-dnd");
        console.find(By.id("code-InACall")).sendKeys("idle-call");
        new Select(console.find(By.id("other-state"))).selectByValue("InAMeeting");
        console.find(By.id("code-other")).sendKeys("idle-meeting");
        console.find(By.id("save-mapping")).click();
        console.awaitText(By.id("mapping-saved"), "State mapping saved (3 states).");
        JsonPath saved = api().get("/connectors/" + orgId).jsonPath();
        assertEquals(Map.of("DoNotDisturb", "idle-dnd", "InACall", "idle-call", "InAMeeting", "idle-meeting"),
                saved.getMap("stateMapping"));

        // a desktop profile with its Teams integration switch
        console.find(By.id("new-profile")).sendKeys("p-sales");
        console.find(By.cssSelector("#profiles form[method=post] button")).click();
        assertTrue(console.find(By.id("profile-p-sales")).isSelected());
        api().get("/connectors/" + orgId + "/profiles").then().body("profiles[0].profileId", equalTo("p-sales"))
                .body("profiles[0].teamsIntegration", equalTo(true));
        console.find(By.id("profile-p-sales")).click();
        console.awaitText(By.id("profiles-saved"), "Teams integration is off for desktop profile p-sales.");
        api().get("/connectors/" + orgId + "/profiles").then().body("profiles[0].teamsIntegration", equalTo(false));

        // the expert-lookup try-out answers what an agent would get: nothing, until the connector is active
        console.find(By.id("lookup-query")).sendKeys("ada");
        console.find(By.cssSelector("#lookup-query + button")).click();
        console.awaitText(By.id("experts"), "Expert lookup is unavailable: Connector inactive.");

        // after a reload the page shows what was saved
        console.open("/console/connectors/" + orgId);
        assertFalse(console.find(By.id("presenceSync")).isSelected());
        assertEquals("idle-meeting", console.find(By.id("code-InAMeeting")).getAttribute("value"));
        console.checkAndShoot(null);
    }

    @Test
    void withWebexLinkedTheMappingOffersTheOrgsIdleCodes() {
        WebexFake webex = FakesResource.webex();
        String orgId = TestData.newOrgId("console-webex");
        api().body("{}").put("/connectors/" + orgId).then().statusCode(201);
        webex.idleCode(orgId, "idle-call", "In a Teams call", false);
        webex.idleCode(orgId, "idle-dnd", "Do not disturb", false);
        webex.idleCode(orgId, "idle-lunch", "Lunch", true);
        webex.agentProfile(orgId, "prof-support", "Support desk");
        webex.signInAs(new WebexFake.Person("p-" + orgId, "admin@" + orgId + ".example", "Admin", orgId));

        // Link Webex: Webex's sign-in in a new window; the status turns Linked by itself
        console.signInAsOperator(TestData.API_KEY);
        console.open("/console/connectors/" + orgId);
        assertEquals("Not linked", console.text(By.id("webex-status")));
        inNewWindow(By.id("link-webex"), "/webex/callback");
        console.awaitText(By.id("webex-status"), "Linked");
        api().get("/connectors/" + orgId).then().body("webex.status", equalTo("LINKED"));
        console.open("/console/connectors/" + orgId);
        Select inACall = new Select(console.find(By.id("code-InACall")));
        assertEquals(Set.of("Not mapped", "In a Teams call", "Do not disturb", "Lunch"),
                Set.copyOf(inACall.getOptions().stream().map(o -> o.getText()).toList()));
        inACall.selectByVisibleText("In a Teams call");
        new Select(console.find(By.id("code-DoNotDisturb"))).selectByVisibleText("Do not disturb");
        console.find(By.id("save-mapping")).click();
        console.awaitText(By.id("mapping-saved"), "State mapping saved (2 states).");
        assertEquals(Map.of("InACall", "idle-call", "DoNotDisturb", "idle-dnd"),
                api().get("/connectors/" + orgId).jsonPath().getMap("stateMapping"));

        // the profile Webex lists, with its name, and its switch
        console.find(By.id("profile-prof-support")).click();
        console.awaitText(By.id("profiles-saved"), "Teams integration is on for desktop profile prof-support.");
        api().get("/connectors/" + orgId + "/profiles").then().body("profiles[0].name", equalTo("Support desk"))
                .body("profiles[0].teamsIntegration", equalTo(true));
        console.open("/console/connectors/" + orgId);
        console.find(By.id("profile-name-prof-support"));
        console.checkAndShoot("console-connector");

        // unlink
        console.find(By.id("unlink-webex")).click();
        console.awaitText(By.id("webex-status"), "Not linked");
        api().get("/connectors/" + orgId).then().body("webex.status", equalTo("NOT_LINKED"));
        assertEquals("input", console.find(By.id("code-InACall")).getTagName());
    }

    @Test
    void theAgentsTableFollowsATeamsCallWithoutAReload() {
        SyncScenario scenario = SyncScenario.consented("console-agents", SyncScenario.MAPPING);
        GraphFake graph = FakesResource.graph();
        String user = SyncScenario.newTeamsUser();
        graph.setPresence(user, "Available", "Available");
        scenario.signIn("ada", user);
        scenario.stateChanged("ada", "AVAILABLE", "AGENT", null);

        console.signInAsOperator(TestData.API_KEY);
        console.open("/console/connectors/" + scenario.orgId);
        console.awaitText(By.id("agent-ada"), "Available");

        graph.setPresence(user, "Busy", "InACall");
        SyncScenario.syncTick();
        console.awaitText(By.id("agent-ada"), "Idle");
        String row = console.text(By.id("agent-ada"));
        assertTrue(row.contains("idle-call") && row.contains("Presence sync") && row.contains("Applied idle"), row);
        JsonPath agent = scenario.agent("ada");
        assertEquals("IDLE", agent.getString("state"));
        assertEquals("idle-call", agent.getString("idleCode"));
        console.scrollTo(By.id("agents-h"));
        console.checkAndShoot("console-agents");

        console.find(By.linkText("ada")).click();
        console.awaitText(By.tagName("h1"), "Agent ada");
        assertTrue(console.text(By.id("decisions")).contains("Applied idle"));
        assertEquals("APPLIED_IDLE", scenario.lastReason("ada"));
        console.checkAndShoot("console-decision-log");
        scenario.deactivate();
    }

    @Test
    void deactivateThenDeleteShowsTheEntraNotice() {
        SyncScenario scenario = SyncScenario.consented("console-delete", SyncScenario.MAPPING);
        String orgId = scenario.orgId;
        console.signInAsOperator(TestData.API_KEY);
        console.open("/console/connectors/" + orgId);
        assertTrue(chromium.driver.findElements(By.id("delete")).isEmpty(), "no Delete while active");

        console.find(By.id("deactivate")).click();
        console.awaitText(By.id("status"), "Inactive");
        api().get("/connectors/" + orgId).then().body("status", equalTo("INACTIVE"));
        console.find(By.id("reactivate"));

        console.find(By.id("delete")).click();
        console.awaitText(By.tagName("h1"), "Delete connector " + orgId + "?");
        console.checkAndShoot("console-delete-confirm");
        api().get("/connectors/" + orgId).then().statusCode(200);
        console.find(By.id("confirm-delete")).click();
        console.awaitText(By.id("delete-notice"), "Enterprise applications");
        assertTrue(console.text(By.id("delete-notice")).contains("admin consent in Microsoft Entra ID still exists"));
        console.checkAndShoot("console-deleted");
        api().get("/connectors/" + orgId).then().statusCode(404);
    }

    @Test
    void anOrgAdminSignsInWithWebexAndSeesOnlyTheirConnector() {
        WebexFake webex = FakesResource.webex();
        String orgId = TestData.newOrgId("console-admin");
        String otherOrg = TestData.newOrgId("console-other");
        api().body("{}").put("/connectors/" + orgId).then().statusCode(201);
        api().body("{}").put("/connectors/" + otherOrg).then().statusCode(201);
        WebexFake.Person admin = new WebexFake.Person("adm-" + orgId, "admin@" + orgId + ".example", "Org Admin",
                platformOrgId(orgId));
        webex.signInAs(admin);
        webex.roles(admin, WebexFake.FULL_ADMIN_ROLE);

        console.open("/console");
        console.find(By.id("webex-sign-in")).click();
        console.awaitText(By.tagName("h1"), "Connector " + orgId);
        assertTrue(console.text(By.cssSelector(".who")).contains("admin@" + orgId + ".example"));
        console.checkAndShoot(null);

        // the list holds their connector alone; another org's page is refused
        console.open("/console/connectors");
        console.find(By.linkText(orgId));
        assertTrue(chromium.driver.findElements(By.linkText(otherOrg)).isEmpty());
        console.open("/console/connectors/" + otherOrg);
        console.awaitText(By.id("refusal"), "belongs to another organization");
        console.checkAndShoot("console-refused-other-org");
        api().get("/connectors/" + otherOrg).then().statusCode(200).body("status", equalTo("PENDING_CONSENT"));

        // sign-out ends the session
        console.open("/console/connectors");
        console.find(By.cssSelector("form[action='/console/sign-out'] button")).click();
        console.find(By.id("apiKey"));
        console.open("/console/connectors/" + orgId);
        console.find(By.id("apiKey"));
    }

    @Test
    void someoneWhoIsNotAnOrgAdminIsRefused() {
        WebexFake webex = FakesResource.webex();
        String orgId = TestData.newOrgId("console-user");
        api().body("{}").put("/connectors/" + orgId).then().statusCode(201);
        webex.signInAs(new WebexFake.Person("u-" + orgId, "agent@" + orgId + ".example", "Agent", orgId));

        console.open("/console");
        console.find(By.id("webex-sign-in")).click();
        console.awaitText(By.id("refusal"), "not a full administrator of Webex organization " + orgId);
        console.checkAndShoot("console-refused-not-admin");
        console.open("/console/connectors");
        console.find(By.id("apiKey"));

        // an administrator of an org without a connector
        WebexFake.Person stranger = new WebexFake.Person("s-" + orgId, "admin@elsewhere.example", "Admin",
                "no-connector-" + orgId);
        webex.signInAs(stranger);
        webex.roles(stranger, WebexFake.FULL_ADMIN_ROLE);
        console.open("/console");
        console.find(By.id("webex-sign-in")).click();
        console.awaitText(By.id("refusal"), "has no connector yet");
    }

    /** Clicks a button that opens a sign-in in a new window, waits there for the callback, closes it. */
    void inNewWindow(By button, String callbackPath) {
        WebDriver driver = chromium.driver;
        String consoleWindow = driver.getWindowHandle();
        console.find(button).click();
        chromium.waiting().until(ExpectedConditions.numberOfWindowsToBe(2));
        String opened = driver.getWindowHandles().stream().filter(h -> !h.equals(consoleWindow)).findFirst()
                .orElseThrow();
        driver.switchTo().window(opened);
        chromium.waiting().until(d -> d.getCurrentUrl().contains(callbackPath)
                && d.getPageSource().contains("You may close this window"));
        driver.close();
        driver.switchTo().window(consoleWindow);
    }

    /** Webex's platform form of an org id, as people/me answers it. */
    static String platformOrgId(String orgId) {
        return java.util.Base64.getEncoder().encodeToString(("ciscospark://us/ORGANIZATION/" + orgId)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
