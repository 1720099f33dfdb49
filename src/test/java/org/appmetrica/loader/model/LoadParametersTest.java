package org.appmetrica.loader.model;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoadParametersTest {

    private static Properties valid() {
        Properties p = new Properties();
        p.setProperty("applicationIds", "1111, 2222");
        p.setProperty("sources", "events,installations");
        p.setProperty("dateSince", "2024-03-01");
        p.setProperty("dateUntil", "2024-03-07");
        return p;
    }

    private static String error(Properties p) {
        return assertThrows(IllegalArgumentException.class, () -> LoadParameters.parse(p)).getMessage();
    }

    @Test
    void defaultsAndSlices() {
        LoadSettings s = LoadParameters.parse(valid());
        assertEquals(List.of(1111L, 2222L), s.applicationIds());
        assertEquals("default", s.dateDimension());
        assertEquals("csv", s.format());
        assertEquals("appmetrica", s.clickhouseDatabase());
        assertEquals(20_000, s.chunkSize());
        assertEquals(32, s.fields().get("events").size());
        assertEquals(7 * 2 * 2, s.slices().size());
        assertEquals(new Slice(1111, "events", LocalDate.of(2024, 3, 1)), s.slices().get(0));
    }

    @Test
    void fieldsAndFilters() {
        Properties p = valid();
        p.setProperty("fields.events", "event_name,appmetrica_device_id,event_name");
        p.setProperty("filters.events", "os_name=android;country_iso_code=RU");
        LoadSettings s = LoadParameters.parse(p);
        assertEquals(List.of("event_name", "appmetrica_device_id"), s.fields().get("events"));
        assertEquals("RU", s.filters().get("events").get("country_iso_code"));
    }

    @Test
    void datelessSourcesGetOneSlicePerApplication() {
        Properties p = valid();
        p.setProperty("sources", "push_tokens");
        p.remove("dateSince");
        p.remove("dateUntil");
        assertEquals(List.of(new Slice(1111, "push_tokens", null), new Slice(2222, "push_tokens", null)), LoadParameters.parse(p).slices());
    }

    @Test
    void badValuesAreNamed() {
        Properties p = valid();
        p.setProperty("applicationIds", "1111,abc");
        assertTrue(error(p).contains("'abc' is not an application id"), error(p));

        p = valid();
        p.setProperty("sources", "events,clickz");
        assertTrue(error(p).contains("unknown source 'clickz'"));

        p = valid();
        p.setProperty("dateSince", "2024-13-01");
        assertTrue(error(p).contains("dateSince='2024-13-01' is not a date"));

        p = valid();
        p.setProperty("dateUntil", "2024-02-01");
        assertTrue(error(p).contains("is before dateSince"));

        p = valid();
        p.setProperty("fields.events", "event_name,nope");
        assertTrue(error(p).contains("'nope' is not a field of events"));

        p = valid();
        p.setProperty("filters.events", "nope=1");
        assertTrue(error(p).contains("is not a filter"));

        // a filter is a query parameter: application_id=999 would load another application into this one's partitions
        for (String name : new String[] {"application_id", "date_since", "date_until", "date_dimension", "fields", "parts_count", "part_number"}) {
            p = valid();
            p.setProperty("filters.events", "os_name=ios;" + name + "=999");
            assertTrue(error(p).contains(name + " is a parameter of the export request"), name);
        }

        p = valid();
        p.setProperty("clickhouseUrl", "jdbc:clickhouse://admin:s3cret@127.0.0.1:8123");
        assertTrue(error(p).contains("clickhousePasswordRef"));
        assertTrue(!error(p).contains("s3cret"));

        p = valid();
        p.setProperty("clickhouseDatabase", "x; DROP TABLE y");
        assertTrue(error(p).contains("is not a plain name"));

        p = valid();
        p.setProperty("dateDimension", "server");
        assertTrue(error(p).contains("expected one of default, receive"));

        p = valid();
        p.setProperty("chunkSize", "0");
        assertTrue(error(p).contains("chunkSize='0'"));

        p = valid();
        p.setProperty("fields.clicks", "click_id");
        assertTrue(error(p).contains("not in sources"));

        p = valid();
        p.remove("applicationIds");
        assertTrue(error(p).contains("applicationIds is required"));

        p = valid();
        p.setProperty("colour", "red");
        assertTrue(error(p).contains("unknown job parameter colour"));
    }

    @Test
    void secretsAreNeverParameters() {
        Properties p = valid();
        p.setProperty("token", "AQAAAAA");
        String message = error(p);
        assertTrue(message.contains("looks like a secret"));
        assertTrue(!message.contains("AQAAAAA"));

        p = valid();
        p.setProperty("tokenRef", "AQAAAAA");
        assertTrue(error(p).contains("not a secret reference"));
    }
}
