package org.appmetrica.loader.console;

import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.time.LocalDate;

/** The console page's connection form, filled field by field as a user does; each setter returns the form. */
final class ConnectionForm {

    private final Browser browser;

    private ConnectionForm(Browser browser) {
        this.browser = browser;
    }

    /** Opens the form for a new connection. */
    static ConnectionForm openNew(Browser browser) {
        browser.$("#conn-new").click();
        browser.waitUpTo(10).until(ExpectedConditions.visibilityOfElementLocated(By.id("conn-form")));
        return new ConnectionForm(browser);
    }

    ConnectionForm name(String name) {
        browser.type("#c-name", name);
        return this;
    }

    ConnectionForm apiUrl(String url) {
        browser.type("#c-api-url", url);
        return this;
    }

    /** A pasted token: the page stores it and keeps only its reference. */
    ConnectionForm token(String token) {
        browser.type("#c-token", token);
        return this;
    }

    /** Application ids, comma-separated, as typed. */
    ConnectionForm applications(String ids) {
        browser.type("#c-apps", ids);
        return this;
    }

    /** Unticks every source, then ticks this one. */
    ConnectionForm onlySource(String source) {
        browser.$("#c-no-sources").click();
        browser.$("#c-sources input[value=" + source + "]").click();
        return this;
    }

    ConnectionForm loadFrom(LocalDate day) {
        browser.setValue("#c-load-from", day.toString());
        return this;
    }

    /** A regular load: its time of day, zone and re-load window. */
    ConnectionForm regular(String schedule, String zone, int reloadDays) {
        browser.$("#c-regular").click();
        browser.type("#c-schedule", schedule);
        browser.type("#c-zone", zone);
        browser.type("#c-reload-days", Integer.toString(reloadDays));
        return this;
    }

    ConnectionForm clickhouse(String url, String database) {
        browser.type("#c-ch-url", url);
        browser.type("#c-ch-database", database);
        return this;
    }

    ConnectionForm clickhouseUser(String user) {
        browser.type("#c-ch-user", user);
        return this;
    }

    void save() {
        browser.$("#c-save").click();
    }
}
