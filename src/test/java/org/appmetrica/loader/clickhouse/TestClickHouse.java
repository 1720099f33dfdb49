package org.appmetrica.loader.clickhouse;

import java.time.Duration;

/**
 * The real ClickHouse the integration tests write to: 18.16 started by .ci/clickhouse.sh, or 26.x (chDB) started by
 * .ci/chdb.sh, chosen by the system property clickhouse.url.
 */
public final class TestClickHouse {

    /**
     * The pom's chdb failsafe run sets clickhouse.engine=chdb and the URL in chdb.url: a -Dclickhouse.url on Maven's command
     * line would override that run's own clickhouse.url.
     */
    public static final String URL = "chdb".equals(System.getProperty("clickhouse.engine"))
            ? System.getProperty("chdb.url", "http://127.0.0.1:18133")
            : System.getProperty("clickhouse.url", "http://127.0.0.1:18123");

    private TestClickHouse() {
    }

    /** A connection; prints the server's version, so that every IT's report names the engine it ran on. */
    public static ClickHouseConnection connect() {
        ClickHouseConnection connection = ClickHouseConnection.open(new ClickHouseSettings(ClickHouseSettings.endpointFromUrl(URL),
                "default", "", "default", Duration.ofMinutes(2)));
        System.out.println("ClickHouse " + connection.version().text() + " at " + URL);
        return connection;
    }

    /** Drops and creates a database for one test class. */
    public static void recreate(ClickHouseConnection c, String database) {
        c.execute("DROP DATABASE IF EXISTS " + Identifiers.quote(database));
        c.execute("CREATE DATABASE " + Identifiers.quote(database));
    }
}
