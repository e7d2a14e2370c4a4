package io.teamsconnector.console;

import io.teamsconnector.support.Chromium;
import io.teamsconnector.support.TestData;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** The console in a real Chromium: signing in, opening pages, waiting for what htmx brings. */
final class ConsoleBrowser {

    final Chromium chromium;

    ConsoleBrowser(Chromium chromium) {
        this.chromium = chromium;
    }

    void open(String path) {
        chromium.driver.get(TestData.publicUrl() + path);
    }

    /**
     * The operator's sign-in: the API key pasted into the form, and the answer's page loaded (signed in or
     * refused) before this returns. Without that wait, the next {@link #open} could overtake the sign-in's
     * {@code POST} and land on the sign-in page without the session cookie.
     */
    void signInAsOperator(String apiKey) {
        open("/console");
        find(By.id("apiKey")).sendKeys(apiKey);
        WebElement submit = find(By.cssSelector("form[action='/console/sign-in'] button[type=submit]"));
        submit.click();
        // the old page's button gone: Chromium 156 says so with "Node ... does not belong to the document",
        // not the stale-element error ExpectedConditions.stalenessOf waits for
        chromium.waiting().until(driver -> {
            try {
                submit.isEnabled();
                return false;
            } catch (WebDriverException gone) {
                return true;
            }
        });
    }

    WebElement find(By by) {
        return chromium.waiting().until(ExpectedConditions.presenceOfElementLocated(by));
    }

    /** Waits until the element's text contains {@code text}; answers the element. */
    WebElement awaitText(By by, String text) {
        chromium.waiting().until(ExpectedConditions.textToBePresentInElementLocated(by, text));
        return chromium.driver.findElement(by);
    }

    String text(By by) {
        return find(by).getText();
    }

    /** Scrolls the element to the top of the window (for a screenshot of that part of a long page). */
    void scrollTo(By by) {
        ((org.openqa.selenium.JavascriptExecutor) chromium.driver).executeScript("arguments[0].scrollIntoView(true)",
                find(by));
    }

    /** The page at its settled state (htmx loads done) checked by axe-core, then saved for the README. */
    void checkAndShoot(String screenshot) {
        chromium.assertAccessible();
        if (screenshot != null) {
            chromium.screenshot(screenshot);
        }
    }
}
