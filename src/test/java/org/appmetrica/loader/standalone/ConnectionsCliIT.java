package org.appmetrica.loader.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.appmetrica.loader.admin.ConsoleProcess;
import org.appmetrica.loader.clickhouse.TestClickHouse;
import org.appmetrica.loader.simulator.SimulatorConfig;
import org.appmetrica.loader.testing.SimulatorAndClickHouse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Connections on the user's path: each command a separate JVM over the same --data-dir, the loads in a real ClickHouse. */
class ConnectionsCliIT {

    private static final String TOKEN = "conn-secret-token-5b1e";
    private static final int ROWS = 120;
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final SimulatorAndClickHouse env = SimulatorAndClickHouse.of(SimulatorConfig.defaults(TOKEN).withRowsPerDay(ROWS).withReadyAfter(0).withSeed(17));

    private static String connection(String database, LocalDate loadFrom) {
        return "{\"name\": \"shop-1\", \"applications\": [501, 502], \"sources\": {\"events\": {}}, \"loadFrom\": \"" + loadFrom + "\", "
                + "\"regularity\": \"one-time\", \"apiUrl\": \"" + env.apiUrl() + "\", \"tokenRef\": \"env:APPMETRICA_TOKEN\", "
                + "\"target\": {\"url\": \"" + TestClickHouse.jdbcUrl() + "\", \"database\": \"" + database + "\"}}";
    }

    private static Path file(Path dir, String name, String text) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, text, StandardCharsets.UTF_8);
        return f;
    }

    private static CliProcess.Result cli(Path dataDir, String... args) throws Exception {
        return CliProcess.run(dataDir, Map.of("APPMETRICA_TOKEN", TOKEN), args);
    }

    /** A --json command: its exit code and the JSON on its standard output (progress goes to standard error). */
    private record Answer(int exitCode, JsonNode json, String output) {
    }

    private static Answer json(Path dataDir, String... args) throws Exception {
        ConsoleProcess.CliResult r = ConsoleProcess.cli(dataDir, Map.of("APPMETRICA_TOKEN", TOKEN), args);
        String output = r.out() + r.err();
        return new Answer(r.exitCode(), JSON.readTree(r.out().isBlank() ? "null" : r.out()), output);
    }

    private static long rows(String database) {
        return env.clickhouse().queryLong("SELECT count() FROM " + database + ".events");
    }

    private static long days(String database) {
        return env.clickhouse().queryLong("SELECT uniqExact(load_date) FROM " + database + ".events");
    }

    @Test
    void addRunEditWithFullReloadPauseAndDeleteWithItsData() throws Exception {
        String database = env.freshDatabase(TestClickHouse.database("it_conn_cli"));
        Path dataDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "conn-data");
        LocalDate today = LocalDate.now(ZoneOffset.UTC);

        CliProcess.Result added = cli(dataDir, "connections", "add", "--file", file(dataDir, "shop.json", connection(database, today.minusDays(3))).toString());
        assertEquals(0, added.exitCode(), added.output());
        assertTrue(added.output().contains("connection shop-1 added (one-time"), added.output());
        Answer again = json(dataDir, "connections", "add", "--json", "--file", dataDir.resolve("shop.json").toString());
        assertEquals(1, again.exitCode(), again.output());
        assertEquals("conflict", again.json().get("error").asText(), again.output());

        CliProcess.Result ran = cli(dataDir, "connections", "run", "shop-1");
        assertEquals(0, ran.exitCode(), ran.output());
        assertTrue(ran.output().contains("execution id: "), ran.output());
        assertEquals(2 * 3 * ROWS, rows(database), "3 days before today, 2 applications");

        // a new process finds it, with its last run
        JsonNode listed = json(dataDir, "connections", "list", "--json").json();
        assertEquals(1, listed.size(), listed.toString());
        assertEquals("up-to-date", listed.get(0).get("state").asText(), listed.toString());
        assertEquals("COMPLETED", listed.get(0).get("lastRun").get("status").asText(), listed.toString());
        assertEquals(ran.executionId(), listed.get(0).get("lastRun").get("executionId").asLong(), listed.toString());
        CliProcess.Result nothing = cli(dataDir, "connections", "run", "shop-1");
        assertEquals(0, nothing.exitCode(), nothing.output());
        assertTrue(nothing.output().contains("nothing due"), nothing.output());

        // load-from earlier: the plan says full reload; a dry run saves nothing
        Path earlier = file(dataDir, "earlier.json", connection(database, today.minusDays(5)));
        Answer dry = json(dataDir, "connections", "edit", "shop-1", "--file", earlier.toString(), "--dry-run", "--json");
        assertEquals(0, dry.exitCode(), dry.output());
        assertEquals("full-reload", dry.json().get("plan").get("actions").get(0).get("kind").asText(), dry.output());
        assertEquals(1, dry.json().get("plan").get("actions").size(), dry.output());
        assertEquals(today.minusDays(3).toString(), json(dataDir, "connections", "show", "shop-1", "--json").json().get("loadFrom").asText());

        CliProcess.Result edited = cli(dataDir, "connections", "edit", "shop-1", "--file", earlier.toString());
        assertEquals(0, edited.exitCode(), edited.output());
        assertTrue(edited.output().contains("full-reload: load-from changed"), edited.output());
        CliProcess.Result reloaded = cli(dataDir, "connections", "run", "shop-1");
        assertEquals(0, reloaded.exitCode(), reloaded.output());
        assertEquals(2 * 5 * ROWS, rows(database), "every day from the earlier load-from, once");
        assertEquals(5, days(database));

        // load-from later: the earlier days are dropped
        CliProcess.Result later = cli(dataDir, "connections", "edit", "shop-1", "--file",
                file(dataDir, "later.json", connection(database, today.minusDays(2))).toString());
        assertEquals(0, later.exitCode(), later.output());
        assertTrue(later.output().contains("drop-days-before:"), later.output());
        assertEquals(2 * 2 * ROWS, rows(database), "the days before the new load-from are gone at once");
        assertEquals(0, cli(dataDir, "connections", "run", "shop-1").exitCode());
        assertEquals(2 * 2 * ROWS, rows(database));
        assertEquals(today.minusDays(2).toString(), env.clickhouse().query("SELECT toString(min(load_date)) FROM " + database + ".events").get(0)[0]);

        // paused: it does not run
        assertEquals(0, cli(dataDir, "connections", "pause", "shop-1").exitCode());
        CliProcess.Result refused = cli(dataDir, "connections", "run", "shop-1");
        assertEquals(1, refused.exitCode(), refused.output());
        assertTrue(refused.output().contains("paused"), refused.output());
        assertEquals("paused", json(dataDir, "connections", "show", "shop-1", "--json").json().get("state").asText());

        Answer deleted = json(dataDir, "connections", "delete", "shop-1", "--drop-data", "--json");
        assertEquals(0, deleted.exitCode(), deleted.output());
        assertTrue(deleted.json().get("dataDropped").asBoolean(), deleted.output());
        assertEquals(0, rows(database), "its data is dropped");
        assertEquals(0, json(dataDir, "connections", "list", "--json").json().size());
        assertEquals(1, cli(dataDir, "connections", "show", "shop-1").exitCode(), "gone");
        assertNoTokenOnDisk(dataDir);
    }

    @Test
    void aRunThatCannotStartSaysWhyAndCreatesNoExecution() throws Exception {
        Path dataDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "conn-data");
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        String down = connection("it_conn_down", LocalDate.now(ZoneOffset.UTC).minusDays(1))
                .replace(TestClickHouse.URL.replace("http://", ""), "127.0.0.1:" + closed);
        assertEquals(0, cli(dataDir, "connections", "add", "--file", file(dataDir, "down.json", down).toString()).exitCode());

        CliProcess.Result refused = cli(dataDir, "connections", "run", "shop-1");
        assertEquals(2, refused.exitCode(), refused.output());
        assertTrue(refused.output().contains("error: ClickHouse at jdbc:clickhouse://127.0.0.1:" + closed + " does not answer"), refused.output());
        assertTrue(refused.output().contains("Connection refused"), refused.output());
        assertFalse(refused.output().contains("execution id:"), refused.output());
        assertEquals(0, json(dataDir, "executions", "--json").json().size(), "no execution was created");
        assertTrue(json(dataDir, "connections", "show", "shop-1", "--json").json().get("lastRun").isNull(), "no run recorded");
    }

    private static void assertNoTokenOnDisk(Path dataDir) throws Exception {
        try (Stream<Path> files = Files.walk(dataDir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertFalse(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains(TOKEN), "the token is stored in " + f);
            }
        }
    }
}
