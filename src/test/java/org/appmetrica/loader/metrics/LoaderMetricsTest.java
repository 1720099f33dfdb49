package org.appmetrica.loader.metrics;

import org.appmetrica.loader.clickhouse.ClickHouseException;
import org.appmetrica.loader.logsapi.ExportTimeoutException;
import org.appmetrica.loader.logsapi.LogsApiException;
import org.appmetrica.loader.logsapi.StopRequestedException;
import org.appmetrica.loader.logsapi.TransientApiException;
import org.appmetrica.loader.model.Slice;
import org.appmetrica.loader.processor.ValueParseException;
import org.appmetrica.loader.reader.CorruptExportException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.LocalDate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoaderMetricsTest {

    @BeforeAll
    static void aRegistryCounts() {
        PrometheusMeters.registry(); // the composite counts only once a registry is added to it
    }

    private static double count(String name, String tag, String value) {
        var counter = Meters.root().find(name).tag(tag, value).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void publishedSlicesAddUpPerSource() {
        double before = count("appmetrica.loader.rows.loaded", "source", "installations");
        LoaderMetrics.published(new Slice(1, "installations", LocalDate.parse("2024-01-01")), 120, 5000);
        LoaderMetrics.published(new Slice(2, "installations", LocalDate.parse("2024-01-02")), 30, 700);
        assertEquals(before + 150, count("appmetrica.loader.rows.loaded", "source", "installations"));
        assertTrue(PrometheusMeters.registry().scrape().contains("appmetrica_loader_rows_loaded_total{source=\"installations\"}"));
    }

    @Test
    void retriesAreCountedByKind() {
        double fiveXx = count("appmetrica.loader.retries", "kind", "api_5xx");
        double network = count("appmetrica.loader.retries", "kind", "api_network");
        double limited = count("appmetrica.loader.retries", "kind", "api_429");
        LoaderMetrics.retrying("HTTP 503 try again later");
        LoaderMetrics.retrying("ConnectException: Connection refused");
        LoaderMetrics.rateLimited(new Slice(3, "events", LocalDate.parse("2024-01-01")));
        assertEquals(fiveXx + 1, count("appmetrica.loader.retries", "kind", "api_5xx"));
        assertEquals(network + 1, count("appmetrica.loader.retries", "kind", "api_network"));
        assertEquals(limited + 1, count("appmetrica.loader.retries", "kind", "api_429"));
    }

    @Test
    void failureKindsFollowTheCause() {
        assertEquals("api_4xx", FailureKind.of(new LogsApiException(403, "refused")));
        assertEquals("api_5xx", FailureKind.of(new TransientApiException("failed 6 times; last error: HTTP 502 bad gateway", null)));
        assertEquals("api_network", FailureKind.of(new TransientApiException("failed 6 times; last error: SocketTimeoutException", null)));
        assertEquals("api_timeout", FailureKind.of(new ExportTimeoutException("not prepared")));
        assertEquals("clickhouse", FailureKind.of(new RuntimeException("insert", new ClickHouseException("Code: 241", null))));
        assertEquals("corrupt_export", FailureKind.of(new CorruptExportException("bad CSV", null)));
        assertEquals("bad_value", FailureKind.of(new RuntimeException("chunk", new ValueParseException("slice 1 row 2 field x"))));
        assertEquals("other", FailureKind.of(new IllegalStateException("x")));
        assertNull(FailureKind.of(new StopRequestedException("stop")), "a requested stop is no failure");
    }

    /** The WAR has no Micrometer: the facade must load and do nothing there, since the data path calls it. */
    @Test
    void withoutMicrometerTheFacadeDoesNothing() throws Exception {
        URL classes = Path.of("target/classes").toUri().toURL();
        try (URLClassLoader war = new URLClassLoader(new URL[] {classes}, ClassLoader.getPlatformClassLoader())) {
            Class<?> facade = war.loadClass(LoaderMetrics.class.getName());
            assertFalse((Boolean) facade.getMethod("enabled").invoke(null));
            Class<?> slice = war.loadClass(Slice.class.getName());
            Object s = slice.getConstructor(long.class, String.class, LocalDate.class).newInstance(1L, "events", LocalDate.parse("2024-01-01"));
            facade.getMethod("requested", slice).invoke(null, s);
            facade.getMethod("waited", slice).invoke(null, s);
            facade.getMethod("published", slice, long.class, long.class).invoke(null, s, 10L, 100L);
            facade.getMethod("failed", Throwable.class).invoke(null, new IllegalStateException("x"));
        }
    }
}
