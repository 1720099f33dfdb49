package org.appmetrica.loader.logsapi;

import org.appmetrica.loader.simulator.LogsApiSimulator;
import org.appmetrica.loader.simulator.RecordedRequest;
import org.appmetrica.loader.simulator.SimulatorConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The HTTP side against the simulator: one request per call, the token only in the Authorization header. */
class HttpLogsApiTransportTest {

    private static LogsApiSimulator simulator;

    @BeforeAll
    static void start() throws Exception {
        simulator = new LogsApiSimulator(SimulatorConfig.defaults("right-token").withReadyAfter(1)).start();
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    private static final ExportRequest REQUEST = new ExportRequest("unused", "events", "csv", 11, LocalDate.of(2024, 1, 1),
            LocalDate.of(2024, 1, 1), "default", List.of("event_name", "city"), Map.of("os_name", "android {x}&y"), 1, 0);

    @Test
    void oneRequestPerCallAndTheTokenOnlyInTheHeader() throws Exception {
        try (HttpLogsApiTransport transport = new HttpLogsApiTransport(simulator.baseUrl(), "wrong-token", Duration.ofSeconds(5), Duration.ofSeconds(5))) {
            int before = simulator.requests().size();
            try (ApiResponse r = transport.get(REQUEST, true)) {
                assertEquals(401, r.status());
            }
            assertEquals(1, simulator.requests().size() - before);
        }
        try (HttpLogsApiTransport transport = new HttpLogsApiTransport(simulator.baseUrl(), "right-token", Duration.ofSeconds(5), Duration.ofSeconds(5))) {
            int before = simulator.requests().size();
            try (ApiResponse r = transport.get(REQUEST, true)) {
                assertEquals(202, r.status());
            }
            try (ApiResponse r = transport.get(REQUEST, false)) {
                assertEquals(200, r.status());
                assertEquals("event_name,city", new String(r.body().readNBytes(15)));
            }
            List<RecordedRequest> sent = simulator.requests().subList(before, simulator.requests().size());
            assertEquals(2, sent.size());
            assertEquals("no-cache", sent.get(0).cacheControl());
            assertEquals(null, sent.get(1).cacheControl());
            assertEquals("OAuth right-token", sent.get(0).authorization());
            assertEquals("android {x}&y", sent.get(0).query().get("os_name"));
            assertEquals("2024-01-01 00:00:00", sent.get(0).query().get("date_since"));
            assertFalse(sent.get(0).query().toString().contains("right-token"));
        }
    }

    @Test
    void asksForGzipUnlessCompressionIsNone() throws Exception {
        for (boolean gzip : new boolean[]{true, false}) {
            try (HttpLogsApiTransport transport = new HttpLogsApiTransport(simulator.baseUrl(), "right-token", Duration.ofSeconds(5),
                    Duration.ofSeconds(5), new TransferSettings(1L << 30, gzip))) {
                ApiResponse r = transport.get(REQUEST, false);
                while (r.status() == 202) {
                    r.close();
                    r = transport.get(REQUEST, false);
                }
                try (ApiResponse done = r) {
                    assertEquals(200, done.status());
                    assertEquals(gzip ? "gzip" : null, done.contentEncoding());
                    byte[] first = done.body().readNBytes(2);
                    assertEquals(gzip, (first[0] & 0xFF) == 0x1F && (first[1] & 0xFF) == 0x8B);
                }
            }
        }
    }
}
