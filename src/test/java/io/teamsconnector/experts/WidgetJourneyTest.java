package io.teamsconnector.experts;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.teamsconnector.support.Chromium;
import io.teamsconnector.support.FakesResource;
import io.teamsconnector.support.TestDatabase;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.SearchContext;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.teamsconnector.support.TestData.api;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The agent's journey in a real Chromium: the widget, loaded into a Desktop-like page of another origin with a
 * stub Desktop SDK and the agent's Webex token, finds an expert as the agent types, and selecting one fires
 * {@code expert-selected} with the phone; "Call" and "Consult" go to the SDK.
 */
@QuarkusTest
class WidgetJourneyTest {

    @Inject
    TestDatabase db;

    WidgetFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new WidgetFixture(db, "journey");
    }

    @AfterEach
    void tearDown() {
        fixture.scenario.deactivate();
    }

    @Test
    void theWidgetFindsAnExpertAndFiresExpertSelected() {
        try (Chromium chromium = Chromium.start()) {
            String connector = WidgetFixture.connectorUrl();
            chromium.driver.get(connector.replace("://localhost", "://127.0.0.1") + "/widget/test/host.html?connector="
                    + URLEncoder.encode(connector, StandardCharsets.UTF_8));
            JavascriptExecutor page = (JavascriptExecutor) chromium.driver;
            chromium.waiting().until(d -> Boolean.TRUE.equals(
                    page.executeScript("return !!customElements.get('teams-expert-lookup')")));
            page.executeScript("const w = document.querySelector('teams-expert-lookup');"
                    + "w.accessToken = arguments[0]; w.agentId = arguments[1];"
                    + "w.interactionId = 'interaction-1'; w.outdialEntryPointId = 'ep-outdial';",
                    fixture.token, fixture.agentId);
            SearchContext widget = chromium.driver.findElement(By.cssSelector("teams-expert-lookup")).getShadowRoot();
            WebElement input = widget.findElement(By.cssSelector("input#query"));
            // the server's answer, through the API: Ada's presence read from Graph (a read that came late serves the next)
            JsonPath expected = await().atMost(Duration.ofSeconds(15)).until(() -> api()
                    .body("{\"orgId\":\"" + fixture.scenario.orgId + "\",\"query\":\"ada\"}").post("/expert-lookup")
                    .then().statusCode(200).extract().jsonPath(), answer -> answer.get("experts[0].presence") != null);
            assertEquals(List.of("Ada Lovelace", "Adam Smith"), expected.getList("experts.displayName"));
            long peopleMe = FakesResource.webex().count("GET", "/v1/people/me");

            input.sendKeys("ada");
            chromium.waiting().until(d -> widget.findElements(By.cssSelector("li")).size() == 2);

            List<WebElement> items = widget.findElements(By.cssSelector("li"));
            String ada = items.get(0).getText();
            assertTrue(ada.contains("Ada Lovelace") && ada.contains("Analyst · Mathematics")
                    && ada.contains("Busy — In a call") && ada.contains("+442079460018"), ada);
            assertTrue(items.get(1).getText().contains("Available"), items.get(1).getText());
            assertEquals("2 experts found.", widget.findElement(By.cssSelector("#status")).getText());
            assertEquals(peopleMe + 1, FakesResource.webex().count("GET", "/v1/people/me"),
                    "the widget's token was checked with Webex, once for the whole search");
            chromium.assertAccessible();

            // keyboard only: down from the search box to Ada's "Select", then Enter
            input.sendKeys(Keys.ARROW_DOWN);
            chromium.waiting().until(d -> "Select Ada Lovelace".equals(page.executeScript("return document"
                    + ".querySelector('teams-expert-lookup').shadowRoot.activeElement.getAttribute('aria-label')")));
            new Actions(chromium.driver).sendKeys(Keys.ENTER).perform();
            chromium.waiting().until(d -> ((Number) page.executeScript(
                    "return window.hostRecord.selected.length")).intValue() == 1);
            assertEquals(Map.of("phone", "+442079460018", "id", ExpertLookupTest.ADA, "displayName", "Ada Lovelace"),
                    page.executeScript("return window.hostRecord.selected[0]"));
            assertEquals(expected.getString("experts[0].businessPhone"), "+442079460018", "the phone the API gives");
            assertEquals("Ada Lovelace selected: +442079460018",
                    widget.findElement(By.cssSelector("#status")).getText());
            chromium.screenshot("expert-lookup-widget");

            // with the Desktop SDK present: Call starts an outdial, Consult a consult on the selected call
            items.get(0).findElement(By.cssSelector("button[data-action=call]")).click();
            items.get(0).findElement(By.cssSelector("button[data-action=consult]")).click();
            chromium.waiting().until(d -> ((Number) page.executeScript(
                    "return window.hostRecord.consults.length")).intValue() == 1);
            assertEquals("+442079460018", page.executeScript("return window.hostRecord.outdials[0].data.destination"));
            assertEquals("ep-outdial", page.executeScript("return window.hostRecord.outdials[0].data.entryPointId"));
            assertEquals("interaction-1", page.executeScript("return window.hostRecord.consults[0].interactionId"));
            assertEquals("+442079460018",
                    page.executeScript("return window.hostRecord.consults[0].data.destination"));
        }
    }
}
