package org.appmetrica.loader.connection;

import org.appmetrica.loader.model.LoadParameters;
import org.appmetrica.loader.regular.RegularLoadDefinition;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectionTest {

    @Test
    void validatedFillsTheDefaultsAndConvertsToJobParameters() {
        Connection c = Connections.oneTime("shop-1", "2024-03-01");
        assertEquals("default", c.dateDimension());
        assertEquals("csv", c.format());
        assertEquals("UTC", c.timeZone());
        assertNull(c.schedule(), "a one-time connection has no schedule");
        assertEquals("default", c.target().user());

        Properties p = c.jobParameters(LoadParameters.builder().spoolDir(Path.of("/tmp/spool")).build());
        assertEquals("1111,2222", p.getProperty(LoadParameters.APPLICATION_IDS));
        assertEquals("events,installations", p.getProperty(LoadParameters.SOURCES));
        assertEquals("application_id,install_datetime", p.getProperty(LoadParameters.FIELDS_PREFIX + "installations"));
        assertEquals("env:SHOP_TOKEN", p.getProperty(LoadParameters.TOKEN_REF));
        assertEquals("env:CH_PASSWORD", p.getProperty(LoadParameters.CLICKHOUSE_PASSWORD_REF));
        assertEquals("shop", p.getProperty(LoadParameters.CLICKHOUSE_DATABASE));

        RegularLoadDefinition d = c.definition(new Properties());
        assertEquals("shop-1", d.name());
        assertEquals(LocalDate.of(2024, 3, 1), d.loadFrom());
        assertEquals(0, d.reloadDays(), "one-time: a loaded day is not loaded again");
    }

    @Test
    void aRegularConnectionRunsDailyAtItsTimeInItsZone() {
        Connection c = Connection.fromJson("{\"name\": \"r\", \"applications\": [1], \"sources\": {\"events\": {\"filters\": {\"event_name\": \"buy\"}}}, "
                + "\"loadFrom\": \"2024-03-01\", \"regularity\": \"regular\", \"timeZone\": \"Europe/Moscow\"}").validated();
        assertEquals("03:00", c.schedule());
        assertEquals(7, c.reloadDays(), "the default of files and connections alike");
        RegularLoadDefinition d = c.definition(new Properties());
        assertEquals(3, d.schedule().dailyAt().getHour());
        assertEquals("Europe/Moscow", d.schedule().zone().getId());
        assertEquals(7, d.reloadDays());
        assertEquals("event_name=buy", d.jobParameters().getProperty(LoadParameters.FILTERS_PREFIX + "events"));
    }

    @Test
    void jsonRoundTripsAndAShownViewCanBeSentBack() {
        Connection c = Connections.oneTime("shop", "2024-03-01");
        assertEquals(c, Connection.fromJson(c.toJson()));
        String view = c.toJson().replaceFirst("\\{", "{\"state\": \"paused\", \"nextRun\": null, ");
        assertEquals(c, Connection.fromJson(view));
        assertTrue(!c.toJson().contains("dataSource"), c.toJson());
    }

    @Test
    void invalidFieldsAreNamed() {
        Map<String, String> bad = Map.of(
                "\"name\": \"Shop!\"", "name=",
                "\"applications\": []", "applications",
                "\"loadFrom\": \"March\"", "loadFrom='March'",
                "\"regularity\": \"weekly\"", "regularity='weekly'",
                "\"sources\": {\"nosuch\": {}}", "nosuch",
                "\"tokenRef\": \"plain-token\"", "tokenRef",
                "\"reloadDays\": 900", "reloadDays");
        bad.forEach((member, message) -> {
            String key = member.substring(0, member.indexOf(':'));
            List<String> members = new ArrayList<>(Arrays.stream(BASE.split(", (?=\")")).filter(m -> !m.startsWith(key)).toList());
            members.add(member);
            String json = "{" + String.join(", ", members) + "}";
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Connection.fromJson(json).validated(), json);
            assertTrue(e.getMessage().contains(message), json + " -> " + e.getMessage());
        });
        assertEquals("shop", Connection.fromJson("{" + BASE + "}").validated().name(), "the base itself is valid");
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> Connection.fromJson("{\"nmae\": \"x\"}"));
        assertTrue(unknown.getMessage().contains("nmae"), unknown.getMessage());
    }

    private static final String BASE = "\"name\": \"shop\", \"applications\": [1], \"sources\": {\"events\": {}}, "
            + "\"loadFrom\": \"2024-03-01\", \"regularity\": \"one-time\"";
}
