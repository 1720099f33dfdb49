package org.appmetrica.loader.connection;

import org.appmetrica.loader.regular.RegularLoadDefinition;
import org.appmetrica.loader.regular.ReloadDays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A regular-load file is read as a connection: the same fields, names, defaults and compiled definition. */
class ConnectionFileTest {

    private static final Properties DEFAULTS = new Properties();
    private final List<LogRecord> warnings = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                warnings.add(r);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() {
        Logger.getLogger(ReloadDays.class.getName()).addHandler(capture);
    }

    @AfterEach
    void stopListening() {
        Logger.getLogger(ReloadDays.class.getName()).removeHandler(capture);
    }

    private static Properties file(String text) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return p;
    }

    private static RegularLoadDefinition definition(String text) {
        return ConnectionFile.read(file(text)).validated().definition(DEFAULTS);
    }

    private static final String FILE = """
            name=%s
            applicationIds=1111,2222
            sources=events,installations
            fields.installations=application_id,install_datetime
            filters.events=event_name=purchase;os_name=android
            loadFrom=2024-03-01
            schedule=daily 05:30
            timeZone=Europe/Moscow
            includeToday=true
            apiUrl=http://127.0.0.1:9/logs
            tokenRef=env:SHOP_TOKEN
            clickhouseUrl=jdbc:clickhouse://127.0.0.1:18123
            clickhouseDatabase=shop
            clickhouseUser=loader
            clickhousePasswordRef=env:CH_PASSWORD
            chunkSize=5000
            autoRestart=5
            """;

    @Test
    void theOldNameReadsAsReloadDaysAndWarnsOncePerDefinition() {
        RegularLoadDefinition now = definition(FILE.formatted("alias_new") + "reloadDays=4\n");
        assertTrue(warnings.isEmpty(), "reloadDays is not warned about: " + warnings.size());
        RegularLoadDefinition old = definition(FILE.formatted("alias_new") + "reloadWindowDays=4\n");
        assertEquals(now, old, "reloadWindowDays=4 and reloadDays=4 give the same definition");
        assertEquals(4, old.reloadDays());
        assertEquals(1, warnings.size());
        String warning = warnings.get(0).getMessage();
        assertTrue(warning.contains("reloadWindowDays") && warning.contains("reloadDays=4") && warning.contains("alias_new"), warning);

        definition(FILE.formatted("alias_new") + "reloadWindowDays=4\n");
        assertEquals(1, warnings.size(), "the same definition read again (each run re-reads it) is warned about once");
        definition(FILE.formatted("alias_other") + "reloadWindowDays=4\n");
        assertEquals(2, warnings.size(), "another definition is warned about");

        IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
                () -> definition(FILE.formatted("alias_both") + "reloadDays=4\nreloadWindowDays=5\n"));
        assertTrue(both.getMessage().contains("give reloadDays only"), both.getMessage());
    }

    @Test
    void theOldNameInConnectionJsonWarnsToo() {
        String json = "{\"name\": \"json_alias\", \"applications\": [1], \"sources\": {\"events\": {}}, \"loadFrom\": \"2024-03-01\", "
                + "\"regularity\": \"regular\", \"reloadWindowDays\": 2}";
        Connection c = Connection.fromJson(json).validated();
        assertEquals(2, c.reloadDays());
        assertTrue(c.toJson().contains("\"reloadDays\":2") && !c.toJson().contains("reloadWindowDays"), "stored under the new name: " + c.toJson());
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).getMessage().contains("json_alias"), warnings.get(0).getMessage());
    }

    @Test
    void aFileAndTheEquivalentConnectionJsonCompileToEqualDefinitions() {
        String json = """
                {"name": "same", "applications": [1111, 2222],
                 "sources": {"events": {"filters": {"event_name": "purchase", "os_name": "android"}},
                             "installations": {"fields": ["application_id", "install_datetime"]}},
                 "loadFrom": "2024-03-01", "regularity": "regular", "schedule": "05:30", "timeZone": "Europe/Moscow",
                 "includeToday": true, "apiUrl": "http://127.0.0.1:9/logs", "tokenRef": "env:SHOP_TOKEN",
                 "target": {"url": "jdbc:clickhouse://127.0.0.1:18123", "database": "shop", "user": "loader",
                            "passwordRef": "env:CH_PASSWORD"},
                 "parameters": {"chunkSize": "5000", "autoRestart": 5}}""";
        Connection fromJson = Connection.fromJson(json).validated();
        Connection fromFile = ConnectionFile.read(file(FILE.formatted("same"))).validated();
        assertEquals(fromJson, fromFile);
        RegularLoadDefinition d = fromFile.definition(DEFAULTS);
        assertEquals(fromJson.definition(DEFAULTS), d);
        assertEquals("05:30", fromFile.schedule(), "one spelling kept");
        assertEquals(7, d.reloadDays());
        assertTrue(d.includeToday());
        assertEquals(5000, d.settings().chunkSize());
        assertEquals("5", d.jobParameters().getProperty("autoRestart"));
        assertEquals(List.of("application_id", "install_datetime"), d.settings().fields().get("installations"));
        assertEquals("purchase", d.settings().filters().get("events").get("event_name"));
        assertEquals("loader", d.settings().clickhouseUser());
        assertEquals(fromJson, Connection.fromJson(fromJson.toJson()), "the new fields round-trip");
    }

    @Test
    void theDefaultsAreTheSameRuleForBoth() {
        String minimal = "name=%s\napplicationIds=1\nsources=events\nloadFrom=2024-03-01\n";
        String json = "{\"name\": \"%s\", \"applications\": [1], \"sources\": {\"events\": {}}, \"loadFrom\": \"2024-03-01\", "
                + "\"regularity\": \"regular\"%s}";
        RegularLoadDefinition file = definition(minimal.formatted("dflt"));
        RegularLoadDefinition connection = Connection.fromJson(json.formatted("dflt", "")).validated().definition(DEFAULTS);
        assertEquals(connection, file);
        assertEquals(7, file.reloadDays(), "device time: 7 days");
        assertEquals(3, file.schedule().dailyAt().getHour());
        assertEquals("UTC", file.schedule().zone().getId());
        RegularLoadDefinition receiveFile = definition(minimal.formatted("rcv") + "dateDimension=receive\n");
        RegularLoadDefinition receiveConnection = Connection.fromJson(json.formatted("rcv", ", \"dateDimension\": \"receive\""))
                .validated().definition(DEFAULTS);
        assertEquals(receiveConnection, receiveFile);
        assertEquals(1, receiveFile.reloadDays(), "receive time: 1 day");
    }

    @Test
    void bothScheduleSpellingsInBoth() {
        String json = "{\"name\": \"s\", \"applications\": [1], \"sources\": {\"events\": {}}, \"loadFrom\": \"2024-03-01\", "
                + "\"regularity\": \"regular\", \"schedule\": \"%s\"}";
        String file = "name=s\napplicationIds=1\nsources=events\nloadFrom=2024-03-01\nschedule=%s\n";
        for (String daily : List.of("03:00", "daily 03:00")) {
            assertEquals("03:00", Connection.fromJson(json.formatted(daily)).validated().schedule(), daily);
            assertEquals(3, definition(file.formatted(daily)).schedule().dailyAt().getHour(), daily);
        }
        assertEquals("every 6 h", Connection.fromJson(json.formatted("every 6 h")).validated().schedule());
        assertEquals(Duration.ofHours(6), definition(file.formatted("every 6 h")).schedule().every());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> Connection.fromJson(json.formatted("25:00")).validated());
        assertTrue(bad.getMessage().contains("schedule='25:00'"), bad.getMessage());
    }

    @Test
    void whatAFileCouldSayStillWorks() {
        RegularLoadDefinition all = definition("name=Main\napplicationIds=1\nsources=all\nloadFrom=2024-03-01\nspoolDir=/tmp/elsewhere\n");
        assertTrue(all.settings().sources().contains("events") && all.settings().sources().size() > 3, all.settings().sources().toString());
        assertEquals("Main", all.name(), "a file's name keeps its _load_state rows");
        assertEquals("/tmp/elsewhere", all.settings().spoolDir().toString());
        IllegalArgumentException dates = assertThrows(IllegalArgumentException.class,
                () -> definition("name=m\napplicationIds=1\nsources=events\nloadFrom=2024-03-01\ndateSince=2024-03-01\n"));
        assertTrue(dates.getMessage().contains("use loadFrom instead"), dates.getMessage());
        IllegalArgumentException unlisted = assertThrows(IllegalArgumentException.class,
                () -> definition("name=m\napplicationIds=1\nsources=events\nloadFrom=2024-03-01\nfields.installations=application_id\n"));
        assertTrue(unlisted.getMessage().contains("fields.installations"), unlisted.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> definition("name=m\napplicationIds=1\nsources=events\nloadFrom=2024-03-01\nchunkSise=10\n"));
        assertTrue(unknown.getMessage().contains("chunkSise"), unknown.getMessage());
    }

    @Test
    void parametersHoldNoFieldOfTheConnection() {
        String json = "{\"name\": \"p\", \"applications\": [1], \"sources\": {\"events\": {}}, \"loadFrom\": \"2024-03-01\", "
                + "\"regularity\": \"regular\", \"parameters\": {\"%s\": \"x\"}}";
        for (String key : List.of("clickhouseUrl", "sources", "fields.events", "reloadDays")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Connection.fromJson(json.formatted(key)).validated());
            assertTrue(e.getMessage().startsWith("parameters: " + key + " is a field of the connection"), e.getMessage());
        }
        Connection blank = Connection.fromJson("{\"name\": \"p\", \"applications\": [1], \"sources\": {\"events\": {}}, "
                + "\"loadFrom\": \"2024-03-01\", \"regularity\": \"regular\", \"parameters\": {\"chunkSize\": null, \"parallelism\": \" \"}}");
        assertNull(blank.validated().parameters(), "parameters without a value are left out");
        assertEquals(100_000, blank.validated().definition(DEFAULTS).settings().chunkSize());
    }

    @Test
    void aStoredConnectionOfBeforeLoadsAsItWas() {
        String stored = "{\"name\":\"old\",\"applications\":[1],\"sources\":{\"events\":{}},\"dateDimension\":\"default\",\"format\":\"csv\","
                + "\"loadFrom\":\"2024-03-01\",\"regularity\":\"regular\",\"schedule\":\"03:00\",\"timeZone\":\"UTC\",\"reloadDays\":3,"
                + "\"apiUrl\":\"https://api.appmetrica.yandex.ru\",\"tokenRef\":\"env:APPMETRICA_TOKEN\",\"target\":{\"url\":"
                + "\"jdbc:clickhouse://127.0.0.1:8123\",\"database\":\"appmetrica\",\"user\":\"default\",\"passwordRef\":\"env:CLICKHOUSE_PASSWORD\"}}";
        Connection c = Connection.fromJson(stored);
        assertEquals(3, c.definition(DEFAULTS).reloadDays(), "its explicit window stays");
        assertNull(c.includeToday());
        assertEquals(stored, c.validated().toJson(), "validated again it is the same JSON");
    }
}
