package org.appmetrica.loader.clickhouse;

import java.time.Duration;

/** The real ClickHouse the integration tests write to (started by .ci/clickhouse.sh). */
public final class TestClickHouse {

    public static final String URL = System.getProperty("clickhouse.url", "http://127.0.0.1:18123");

    private TestClickHouse() {
    }

    public static ClickHouseConnection connect() {
        return ClickHouseConnection.open(new ClickHouseSettings(ClickHouseSettings.endpointFromUrl(URL), "default", "", "default",
                Duration.ofMinutes(2)));
    }

    /** Drops and creates a database for one test class. */
    public static void recreate(ClickHouseConnection c, String database) {
        c.execute("DROP DATABASE IF EXISTS " + Identifiers.quote(database));
        c.execute("CREATE DATABASE " + Identifiers.quote(database));
    }
}
