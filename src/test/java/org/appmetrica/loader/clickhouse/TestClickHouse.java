package org.appmetrica.loader.clickhouse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

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

    /** The same server as a loader's {@code clickhouseUrl} / a connection's {@code target.url} are written. */
    public static String jdbcUrl() {
        return "jdbc:clickhouse://" + URL.replace("http://", "");
    }

    /**
     * What the test databases of this run end with: -Dit.run=SUFFIX (a CI build's number, say), or else a hash of the
     * checkout's directory. Two checkouts, or two CI runs, on one server never share a database; one checkout reuses its
     * own, so that runs leave one set of databases behind, not a set each.
     */
    public static final String RUN = run();

    private TestClickHouse() {
    }

    /** The database {@code name} of this run: {@code name_RUN}; names start with {@code it_}, which .ci/run drops at a CI run's end. */
    public static String database(String name) {
        return name + "_" + RUN;
    }

    private static String run() {
        String run = System.getProperty("it.run", "").strip();
        if (!run.isEmpty()) {
            if (!run.matches("[a-z0-9]{1,16}")) {
                throw new IllegalArgumentException("-Dit.run takes 1 to 16 of a-z and 0-9: " + run);
            }
            return run;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(Path.of("").toAbsolutePath().normalize().toString()
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 3);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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
