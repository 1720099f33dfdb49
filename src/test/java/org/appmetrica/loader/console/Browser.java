package org.appmetrica.loader.console;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Debian's headless Chromium through chromedriver, for the console's browser tests, with the page helpers they share. */
final class Browser implements AutoCloseable {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    final WebDriver driver;

    private Browser(WebDriver driver) {
        this.driver = driver;
    }

    /** Skips the test where Chromium is missing, except on CI, which must run it. */
    static void assumeInstalled() {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if ("true".equals(System.getenv("CI"))) {
            assertTrue(installed, "CI must run the browser test: .ci/run installs chromium and chromium-driver");
        }
        assumeTrue(installed, "skipped: no /usr/bin/chromium or /usr/bin/chromedriver (apt-get install chromium chromium-driver, as .ci/run does)");
    }

    /** @param windowSize e.g. "1440,1500": tall enough that the screenshots show what the test checks */
    static Browser start(Path work, String windowSize) throws IOException {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--window-size=" + windowSize, "--user-data-dir=" + Files.createTempDirectory(work, "chromium-profile"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
                .withLogOutput(System.err).build();
        return new Browser(new ChromeDriver(service, options));
    }

    /** Waits on a page condition; an element the page redrew meanwhile is looked up again. */
    WebDriverWait waitUpTo(int seconds) {
        return (WebDriverWait) new WebDriverWait(driver, Duration.ofSeconds(seconds), Duration.ofMillis(100))
                .ignoring(StaleElementReferenceException.class);
    }

    /**
     * Reads an element the page redraws live (the rows of #executions, #connections and #partitions, the execution's
     * detail, the coverage grid) until the value read passes {@code expected}, and returns that value. Each read looks the
     * element up anew and takes everything it needs from that one element, so a value is never pieced together from two
     * refreshes; a read the page redrew under (stale) or has not drawn yet (no such element) is read again. Fails with
     * {@code what} and the last value read.
     */
    <T> T awaitLive(String css, Function<WebElement, T> read, Predicate<? super T> expected, int seconds, String what) {
        Object[] last = {"nothing read"};
        try {
            return new WebDriverWait(driver, Duration.ofSeconds(seconds), Duration.ofMillis(100))
                    .ignoring(StaleElementReferenceException.class).ignoring(NoSuchElementException.class)
                    .until(d -> {
                        T value = read.apply(d.findElement(By.cssSelector(css)));
                        last[0] = value;
                        return expected.test(value) ? value : null;
                    });
        } catch (TimeoutException e) {
            throw new AssertionError(what + " (not within " + seconds + " s; " + css + " last read: " + last[0] + ")", e);
        }
    }

    /** The text of a live element once it passes {@code expected} (see {@link #awaitLive}). */
    String awaitText(String css, Predicate<String> expected, int seconds, String what) {
        return awaitLive(css, WebElement::getText, expected, seconds, what);
    }

    /** An attribute of a live element once it passes {@code expected} (see {@link #awaitLive}). */
    String awaitAttribute(String css, String attribute, Predicate<String> expected, int seconds, String what) {
        return awaitLive(css, e -> e.getAttribute(attribute), expected, seconds, what);
    }

    /** The text of a live element as the page shows it now, read again if the page redrew it under the read. */
    String liveText(String css) {
        return awaitText(css, text -> true, 10, "the text of " + css);
    }

    /** An attribute of a live element as it is now, read again if the page redrew it under the read. */
    String liveAttribute(String css, String attribute) {
        return awaitAttribute(css, attribute, value -> true, 10, "attribute " + attribute + " of " + css);
    }

    /** Clicks an element of a live row or card; a click on an element the page replaced meanwhile goes to its successor. */
    void clickLive(String css) {
        awaitLive(css, e -> {
            e.click();
            return Boolean.TRUE;
        }, clicked -> true, 10, "a click on " + css);
    }

    /** Opens the console page of {@code baseUrl}, logs in, and waits until the element {@code shownId} is visible. */
    void logIn(String baseUrl, String user, String password, String shownId) {
        driver.get(baseUrl + "console/");
        waitUpTo(20).until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
        type("#login-user", user);
        type("#login-password", password);
        $("#login-submit").click();
        waitUpTo(20).until(ExpectedConditions.visibilityOfElementLocated(By.id(shownId)));
    }

    WebElement $(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    void type(String css, String text) {
        WebElement e = $(css);
        e.clear();
        e.sendKeys(text);
    }

    /** Sets an input's value directly (date inputs take no typed text in every locale). */
    void setValue(String css, String value) {
        ((JavascriptExecutor) driver).executeScript("arguments[0].value = arguments[1]", $(css), value);
    }

    void screenshot(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Path shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, file, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void close() {
        driver.quit();
    }
}
