package org.appmetrica.loader.model;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoadParametersTest {

    private static LoadParametersBuilder valid() {
        return LoadParameters.builder().set("applicationIds", "1111, 2222").sources("events", "installations")
                .dateSince(LocalDate.of(2024, 3, 1)).dateUntil(LocalDate.of(2024, 3, 7));
    }

    private static String error(LoadParametersBuilder p) {
        return assertThrows(IllegalArgumentException.class, p::parse).getMessage();
    }

    @Test
    void defaultsAndSlices() {
        LoadSettings s = valid().parse();
        assertEquals(List.of(1111L, 2222L), s.applicationIds());
        assertEquals("default", s.dateDimension());
        assertEquals("csv", s.format());
        assertEquals("appmetrica", s.clickhouseDatabase());
        assertEquals(100_000, s.chunkSize());
        assertEquals(16, s.chunkMegabytes());
        assertEquals(1, s.insertsInFlight());
        assertEquals(32, s.fields().get("events").size());
        assertEquals(7 * 2 * 2, s.slices().size());
        assertEquals(new Slice(1111, "events", LocalDate.of(2024, 3, 1)), s.slices().get(0));
    }

    @Test
    void clusterParameters() {
        assertEquals(null, valid().parse().clickhouseCluster());
        LoadSettings s = valid().clickhouseCluster("c2x2").set("clickhouseClusterHttpPortOffset", "-780").parse();
        assertEquals("c2x2", s.clickhouse().cluster());
        assertEquals(-780, s.clickhouse().clusterHttpPortOffset());
        assertTrue(error(valid().clickhouseCluster("c2x2; DROP")).contains("clickhouseCluster 'c2x2; DROP' is not a plain name"));
        assertTrue(error(valid().set("clickhouseClusterHttpPortOffset", "5")).contains("needs clickhouseCluster"));
        assertTrue(error(valid().clickhouseCluster("c2x2").clickhouseDataSource("java:jboss/datasources/ClickHouseDS"))
                .contains("clickhouseCluster needs clickhouseUrl"));
    }

    @Test
    void fieldsAndFilters() {
        LoadParametersBuilder p = valid();
        p.fields("events", "event_name", "appmetrica_device_id", "event_name");
        p.filters("events", "os_name=android;country_iso_code=RU");
        LoadSettings s = p.parse();
        assertEquals(List.of("event_name", "appmetrica_device_id"), s.fields().get("events"));
        assertEquals("RU", s.filters().get("events").get("country_iso_code"));
    }

    @Test
    void datelessSourcesGetOneSlicePerApplication() {
        LoadParametersBuilder p = valid();
        p.sources("push_tokens").set("dateSince", null).set("dateUntil", null);
        assertEquals(List.of(new Slice(1111, "push_tokens", null), new Slice(2222, "push_tokens", null)), p.parse().slices());
    }

    @Test
    void badValuesAreNamed() {
        LoadParametersBuilder p = valid();
        p.set("applicationIds", "1111,abc");
        assertTrue(error(p).contains("'abc' is not an application id"), error(p));

        p = valid();
        p.sources("events", "clickz");
        assertTrue(error(p).contains("unknown source 'clickz'"));

        p = valid();
        p.set("dateSince", "2024-13-01");
        assertTrue(error(p).contains("dateSince='2024-13-01' is not a date"));

        p = valid();
        p.dateUntil(LocalDate.of(2024, 2, 1));
        assertTrue(error(p).contains("is before dateSince"));

        p = valid();
        p.fields("events", "event_name", "nope");
        assertTrue(error(p).contains("'nope' is not a field of events"));

        p = valid();
        p.filters("events", "nope=1");
        assertTrue(error(p).contains("is not a filter"));

        // a filter is a query parameter: application_id=999 would load another application into this one's partitions
        for (String name : new String[] {"application_id", "date_since", "date_until", "date_dimension", "fields", "parts_count", "part_number"}) {
            p = valid();
            p.filters("events", "os_name=ios;" + name + "=999");
            assertTrue(error(p).contains(name + " is a parameter of the export request"), name);
        }

        p = valid();
        p.clickhouseUrl("jdbc:clickhouse://admin:s3cret@127.0.0.1:8123");
        assertTrue(error(p).contains("clickhousePasswordRef"));
        assertTrue(!error(p).contains("s3cret"));

        p = valid();
        p.clickhouseDatabase("x; DROP TABLE y");
        assertTrue(error(p).contains("is not a plain name"));

        p = valid();
        p.dateDimension("server");
        assertTrue(error(p).contains("expected one of default, receive"));

        p = valid();
        p.chunkSize(0);
        assertTrue(error(p).contains("chunkSize='0'"));

        p = valid();
        p.fields("clicks", "click_id");
        assertTrue(error(p).contains("not in sources"));

        p = valid();
        p.set("applicationIds", null);
        assertTrue(error(p).contains("applicationIds is required"));

        p = valid();
        p.set("colour", "red");
        assertTrue(error(p).contains("unknown job parameter colour"));
    }

    @Test
    void secretsAreNeverParameters() {
        LoadParametersBuilder p = valid();
        p.set("token", "AQAAAAA");
        String message = error(p);
        assertTrue(message.contains("looks like a secret"));
        assertTrue(!message.contains("AQAAAAA"));

        p = valid();
        p.tokenRef("AQAAAAA");
        assertTrue(error(p).contains("not a secret reference"));
    }

    @Test
    void builderWritesTheParameterNamesAndValuesTheJobReads() {
        Properties p = LoadParameters.builder().applicationIds(1111, 2222).sources("events").day(LocalDate.of(2024, 3, 1))
                .apiUrl("http://127.0.0.1:18090").tokenRef("env:T").clickhouseUrl("http://127.0.0.1:8123").clickhouseDatabase("db")
                .clickhouseUser("u").clickhousePasswordRef("env:P").chunkSize(10).parallelism(2).pollIntervalSeconds(0)
                .pollTimeoutSeconds(30).rateLimitWaitSeconds(1).maxRetries(3).retryBackoffSeconds(0).httpTimeoutSeconds(60)
                .spoolDir(Path.of("/tmp/spool")).leaseWaitSeconds(5).fields("events", "event_name").filters("events", "os_name=ios")
                .build();
        assertEquals("1111,2222", p.getProperty("applicationIds"));
        assertEquals("2024-03-01", p.getProperty("dateSince"));
        assertEquals("2024-03-01", p.getProperty("dateUntil"));
        assertEquals("event_name", p.getProperty("fields.events"));
        LoadSettings s = LoadParameters.parse(p);
        assertEquals(List.of(1111L, 2222L), s.applicationIds());
        assertEquals("env:T", s.tokenRef());
        assertEquals("db", s.clickhouseDatabase());
        assertEquals(10, s.chunkSize());
        assertEquals(2, s.parallelism());
        assertEquals(3, s.poll().maxRetries());
        assertEquals(60, s.httpTimeoutSeconds());
        assertEquals(Path.of("/tmp/spool"), s.spoolDir());
        assertEquals(5, s.leaseWait().toSeconds());
        assertEquals(Map.of("os_name", "ios"), s.filters().get("events"));
        for (String name : p.stringPropertyNames()) {
            assertTrue(LoadParameters.NAMES.contains(name) || name.contains("."), name);
        }
    }

    @Test
    void rawValuesDefaultsAndCopies() {
        LoadParametersBuilder b = LoadParameters.builder().set("spoolDir", "/a").setIfAbsent("spoolDir", "/b").setIfAbsent("format", "json");
        Properties first = b.build();
        assertEquals("/a", first.getProperty("spoolDir"));
        assertEquals("json", first.getProperty("format"));
        b.set("format", null);
        assertEquals("json", first.getProperty("format"), "build() is a copy");
        assertEquals(null, b.build().getProperty("format"));
    }

    /** Every value given reaches its own getter: the getters read LoadSettings' values by parameter. */
    @Test
    void eachValueReachesItsGetter() {
        LoadSettings s = valid().dateDimension("receive").format("json").apiUrl("http://127.0.0.1:1").tokenRef("env:T")
                .clickhouseUrl("http://127.0.0.1:2").clickhouseDatabase("db").clickhouseUser("u").clickhousePasswordRef("env:P")
                .chunkSize(11).parallelism(12).pollIntervalSeconds(13).pollTimeoutSeconds(14).rateLimitWaitSeconds(15).maxRetries(16)
                .retryBackoffSeconds(17).httpTimeoutSeconds(18).spoolDir(Path.of("/tmp/s19")).leaseWaitSeconds(20).insertsInFlight(7)
                .chunkMegabytes(22).maxExportBytes(23).compression("NONE").autoRestart(24).parse();
        assertEquals(List.of("receive", "json", "http://127.0.0.1:1", "env:T", "http://127.0.0.1:2", "db", "u", "env:P"),
                List.of(s.dateDimension(), s.format(), s.apiUrl(), s.tokenRef(), s.clickhouseUrl(), s.clickhouseDatabase(),
                        s.clickhouseUser(), s.clickhousePasswordRef()));
        assertEquals(List.of(11, 12, 18, 7, 22), List.of(s.chunkSize(), s.parallelism(), s.httpTimeoutSeconds(), s.insertsInFlight(),
                s.chunkMegabytes()));
        assertEquals(new org.appmetrica.loader.logsapi.PollSettings(java.time.Duration.ofSeconds(13), java.time.Duration.ofSeconds(14),
                java.time.Duration.ofSeconds(15), 16, java.time.Duration.ofSeconds(17)), s.poll());
        assertEquals(Path.of("/tmp/s19"), s.spoolDir());
        assertEquals(20, s.leaseWait().toSeconds());
        assertEquals(new org.appmetrica.loader.logsapi.TransferSettings(23, false), s.transfer());
        assertEquals(LocalDate.of(2024, 3, 1), s.dateSince());
        assertEquals(LocalDate.of(2024, 3, 7), s.dateUntil());
        assertEquals("java:jboss/datasources/X", LoadParameters.builder().set("applicationIds", "1").sources("events").day(LocalDate.of(2024, 3, 1))
                .clickhouseDataSource("java:jboss/datasources/X").parse().clickhouseDataSource());
        assertEquals(valid().parse(), valid().parse(), "equal values, equal settings");
    }
}
