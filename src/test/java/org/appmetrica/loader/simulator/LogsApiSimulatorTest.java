package org.appmetrica.loader.simulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import org.appmetrica.loader.schema.FieldCatalog;
import org.appmetrica.loader.schema.FieldSpec;
import org.appmetrica.loader.schema.SourceSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LogsApiSimulatorTest {

    private static final String TOKEN = "secret-token-abc123";
    private static final String LIMITED = "limited-token-xyz789";
    private static final long APP = 111;
    private static final LocalDate D1 = LocalDate.of(2024, 1, 30);
    private static final LocalDate D2 = LocalDate.of(2024, 1, 31);
    private static final String RANGE = "&date_since=2024-01-30%2000:00:00&date_until=2024-01-31%2023:59:59";
    private static final String PLAIN = "text/plain; charset=utf-8";

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CsvMapper CSV = new CsvMapper();

    private LogsApiSimulator sim;

    @BeforeEach
    void start() throws IOException {
        sim = new LogsApiSimulator(config()).start();
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    private static SimulatorConfig config() {
        return SimulatorConfig.defaults(TOKEN).withTokens(Map.of(TOKEN, Set.of(), LIMITED, Set.of(APP)))
                .withRowsPerDay(40);
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static HttpResponse<byte[]> get(LogsApiSimulator s, String pathAndQuery, String token, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s.baseUrl() + pathAndQuery)).GET();
        if (token != null) {
            b.header("Authorization", "OAuth " + token);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        HttpResponse<byte[]> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        String raw = new String(r.body(), StandardCharsets.ISO_8859_1);
        assertFalse(raw.contains(TOKEN) || raw.contains(LIMITED), "a body echoes a token: " + raw);
        return r;
    }

    private HttpResponse<byte[]> get(String pathAndQuery, String... headers) throws IOException, InterruptedException {
        return get(sim, pathAndQuery, TOKEN, headers);
    }

    /** Repeats the request until it is no longer 202. */
    private static HttpResponse<byte[]> download(LogsApiSimulator s, String pathAndQuery, String... headers)
            throws IOException, InterruptedException {
        for (int i = 0; i < 20; i++) {
            HttpResponse<byte[]> r = get(s, pathAndQuery, TOKEN, headers);
            if (r.statusCode() != 202) {
                return r;
            }
        }
        throw new AssertionError("never ready: " + pathAndQuery);
    }

    private HttpResponse<byte[]> download(String pathAndQuery, String... headers)
            throws IOException, InterruptedException {
        return download(sim, pathAndQuery, headers);
    }

    private static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    private static void assertText(int status, String body, HttpResponse<byte[]> r) {
        assertEquals(status, r.statusCode(), text(r));
        assertEquals(body, text(r));
        assertEquals(PLAIN, r.headers().firstValue("Content-Type").orElse(null));
        assertTrue(r.headers().firstValue("Retry-After").isEmpty());
    }

    private static void assert400(String mustContain, HttpResponse<byte[]> r) {
        assertEquals(400, r.statusCode(), text(r));
        assertTrue(text(r).contains(mustContain), text(r) + " should name " + mustContain);
        assertFalse(text(r).contains("\n"), "one line");
        assertEquals(PLAIN, r.headers().firstValue("Content-Type").orElse(null));
    }

    private static String export(String resource, String format, List<String> fields, String extraQuery) {
        return "/logs/v1/export/" + resource + "." + format + "?application_id=" + APP + "&fields="
                + URLEncoder.encode(String.join(",", fields), StandardCharsets.UTF_8) + extraQuery;
    }

    private static String forApp(String query, long app) {
        return query.replace("application_id=" + APP, "application_id=" + app);
    }

    private static String eventsCsv(String extraQuery) {
        return export("events", "csv", List.of("event_datetime", "event_name", "appmetrica_device_id"),
                RANGE + extraQuery);
    }

    static List<String[]> parseCsv(byte[] body) throws IOException {
        try (MappingIterator<String[]> it = CSV.readerFor(String[].class).with(CsvParser.Feature.WRAP_AS_ARRAY)
                .readValues(body)) {
            return it.readAll();
        }
    }

    static List<String[]> parseJson(byte[] body, List<String> fields) throws IOException {
        JsonNode root = JSON.readTree(body);
        assertEquals(List.of("data"), iterable(root.fieldNames()));
        List<String[]> rows = new ArrayList<>();
        for (JsonNode row : root.get("data")) {
            assertEquals(fields, iterable(row.fieldNames()), "keys in request order");
            String[] values = new String[fields.size()];
            for (int i = 0; i < values.length; i++) {
                JsonNode v = row.get(fields.get(i));
                assertTrue(v.isTextual(), "every value is a JSON string");
                values[i] = v.textValue();
            }
            rows.add(values);
        }
        return rows;
    }

    private static <T> List<T> iterable(java.util.Iterator<T> it) {
        List<T> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    private static List<String[]> expected(SimulatedData data, SourceSpec s, List<String> fields,
                                           Map<String, String> filters) {
        List<String[]> out = new ArrayList<>();
        for (LocalDate day : s.datesRequired() ? List.of(D1, D2) : Arrays.asList((LocalDate) null)) {
            data.rows(APP, s, day, fields, filters).forEachRemaining(out::add);
        }
        return out;
    }

    private static void assertRows(List<String[]> expected, List<String[]> actual, String what) {
        assertEquals(expected.size(), actual.size(), what + " row count");
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), what + " row " + i);
        }
    }

    private static List<String> sortedLines(List<String[]> rows) {
        return rows.stream().map(r -> String.join("\u0001", r)).sorted().collect(Collectors.toList());
    }

    // ------------------------------------------------------------------------------------------ auth, routing

    @Test
    void authentication() throws Exception {
        String path = eventsCsv("");
        assertEquals(401, get(sim, path, null).statusCode());
        assertEquals(401, get(sim, path, "wrong-token").statusCode());
        HttpResponse<byte[]> inQuery = get(sim, path + "&oauth_token=" + TOKEN, null);
        assertEquals(401, inQuery.statusCode());
        assertEquals(PLAIN, inQuery.headers().firstValue("Content-Type").orElse(null));
        HttpResponse<byte[]> bearer = HTTP.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + path))
                .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(401, bearer.statusCode());

        assertEquals(202, get(sim, path, LIMITED).statusCode(), "limited token reads its own app");
        HttpResponse<byte[]> denied = get(sim, forApp(path, 222), LIMITED);
        assertEquals(403, denied.statusCode());
        assertEquals(PLAIN, denied.headers().firstValue("Content-Type").orElse(null));
        assertEquals(202, get(sim, forApp(path, 222), TOKEN).statusCode());
    }

    @Test
    void unknownPathsAre404() throws Exception {
        assertEquals(404, get(export("no_such_source", "csv", List.of("a"), RANGE)).statusCode());
        assertEquals(404, get(export("events", "xml", List.of("event_name"), RANGE)).statusCode());
        assertEquals(404, get(export("events", "parts", List.of("event_name"), RANGE)).statusCode());
        assertEquals(404, get("/logs/v1/export/events?application_id=1").statusCode());
        assertEquals(404, get("/logs/v2/export/events.csv?application_id=1").statusCode());
        assertEquals(404, get("/").statusCode());
        assertEquals(PLAIN, get("/logs/v1/export/x.csv").headers().firstValue("Content-Type").orElse(null));
        // every catalogue source, including the legacy profiles, is served
        long app = 500;
        for (SourceSpec s : FieldCatalog.get().sources()) {
            String q = export(s.name(), "json", List.of(s.fields().get(0).name()), s.datesRequired() ? RANGE : "");
            assertEquals(202, get(forApp(q, app++)).statusCode(), s.name());
        }
    }

    @Test
    void validationNamesTheParameter() throws Exception {
        List<String> f = List.of("event_name");
        assert400("application_id", get("/logs/v1/export/events.csv?fields=event_name" + RANGE));
        assert400("application_id", get(export("events", "csv", f, RANGE).replace("=" + APP, "=abc")));
        assert400("fields", get("/logs/v1/export/events.csv?application_id=1" + RANGE));
        assert400("fields", get(export("events", "csv", f, RANGE).replace("fields=event_name", "fields=")));
        assert400("no_such_field", get(export("events", "csv", List.of("event_name", "no_such_field"), RANGE)));
        assert400("install_datetime", get(export("events", "csv", List.of("install_datetime"), RANGE)));
        assert400("date_since", get(export("events", "csv", f, "&date_until=2024-01-01")));
        assert400("date_until", get(export("events", "csv", f, "&date_since=2024-01-01")));
        assert400("date_since", get(export("events", "csv", f, "&date_since=2024-13-01&date_until=2024-01-02")));
        assert400("date_since", get(export("events", "csv", f, "&date_since=yesterday&date_until=2024-01-02")));
        assert400("date_until", get(export("events", "csv", f,
                "&date_since=2024-01-01&date_until=2024-01-02%2025:00:00")));
        assert400("date_until", get(export("events", "csv", f, "&date_since=2024-01-02&date_until=2024-01-01")));
        assert400("date_dimension", get(export("events", "csv", f, RANGE + "&date_dimension=server")));
        assert400("date_dimension", get(export("postbacks", "csv", List.of("attempt_datetime"),
                RANGE + "&date_dimension=default")));
        assert400("os_nam", get(export("events", "csv", f, RANGE + "&os_nam=ios")));
        assert400("use_utf8_bom", get(export("events", "csv", f, RANGE + "&use_utf8_bom=yes")));
        assert400("limit", get(export("events", "csv", f, RANGE + "&limit=-1")));
        assert400("parts_count", get(export("events", "csv", f, RANGE + "&parts_count=0")));
        assert400("part_number", get(export("events", "csv", f, RANGE + "&parts_count=2&part_number=2")));
        assert400("fields", get(export("events", "csv", f, RANGE + "&fields=event_json")));
        // a token pasted into a parameter is never echoed
        assertEquals(400, get(export("events", "csv", List.of(TOKEN), RANGE)).statusCode());
        assertEquals(400, get(export("events", "csv", f, RANGE + "&" + TOKEN + "=1")).statusCode());

        // accepted forms: bare dates, receive dimension, dateless sources without dates, recognised extras
        assertEquals(202, get(export("events", "csv", f, "&date_since=2024-01-01&date_until=2024-01-01")).statusCode());
        assertEquals(202, get(export("events", "csv", f, RANGE + "&date_dimension=receive")).statusCode());
        assertEquals(202, get(export("push_tokens", "csv", List.of("token"), "&date_dimension=default"))
                .statusCode());
        assertEquals(429, get(export("events", "json", f, RANGE)).statusCode(), "three exports are queued by now");
        assertEquals(202, get(forApp(export("profiles_v2", "csv", List.of("profile_id"),
                RANGE + "&version=2&update_timestamp=1700000000&skip_unavailable_shards=true"), 7)).statusCode());
    }

    // ------------------------------------------------------------------------------------------ queue

    @Test
    void queueAnswersThenServes() throws Exception {
        try (LogsApiSimulator s = new LogsApiSimulator(config().withReadyAfter(3)).start()) {
            String q = eventsCsv("");
            assertText(202, "Your query is added to the queue.", get(s, q, TOKEN));
            assertText(202, "Wait for result. Progress is 33%.", get(s, q, TOKEN));
            // parameter order does not matter for the identity
            String reordered = "/logs/v1/export/events.csv?fields=event_datetime,event_name,appmetrica_device_id"
                    + RANGE + "&application_id=" + APP;
            assertText(202, "Wait for result. Progress is 66%.", get(s, reordered, TOKEN));
            HttpResponse<byte[]> ok = get(s, q, TOKEN);
            assertEquals(200, ok.statusCode());
            assertEquals("text/csv; charset=utf-8", ok.headers().firstValue("Content-Type").orElse(null));
            assertEquals(ok.body().length, ok.headers().firstValueAsLong("Content-Length").orElse(-1));
            // cached: served again at once, byte-identical
            HttpResponse<byte[]> again = get(s, q, TOKEN);
            assertEquals(200, again.statusCode());
            assertArrayEquals(ok.body(), again.body());
            // no-cache on a ready export prepares it again
            assertText(202, "Your query is added to the queue.", get(s, q, TOKEN, "Cache-Control", "no-cache"));
            assertText(202, "Wait for result. Progress is 33%.", get(s, q, TOKEN));
        }
    }

    @Test
    void noCacheOnAPreparingExportMovesItToTheEnd() throws Exception {
        try (LogsApiSimulator s = new LogsApiSimulator(config().withReadyAfter(3)).start()) {
            String q = eventsCsv("");
            assertText(202, "Your query is added to the queue.", get(s, q, TOKEN, "Cache-Control", "no-cache"));
            assertText(202, "Wait for result. Progress is 33%.", get(s, q, TOKEN));
            assertText(202, "Wait for result. Progress is 66%.", get(s, q, TOKEN));
            assertText(202, "Your query is moved to the end of the queue due to provided Cache-Control restriction.",
                    get(s, q, TOKEN, "Cache-Control", "no-cache"));
            assertText(202, "Wait for result. Progress is 33%.", get(s, q, TOKEN));
            assertText(202, "Wait for result. Progress is 66%.", get(s, q, TOKEN));
            assertEquals(200, get(s, q, TOKEN).statusCode());
        }
    }

    @Test
    void heldExportsStayQueuedUntilReleasedAndSignalWhenRequested() throws Exception {
        try (LogsApiSimulator s = new LogsApiSimulator(config().withReadyAfter(2)).start()) {
            List<String> fields = List.of("event_name", "appmetrica_device_id");
            String day1 = export("events", "csv", fields, "&date_since=2024-01-30&date_until=2024-01-30");
            String day2 = export("events", "csv", fields, "&date_since=2024-01-31&date_until=2024-01-31");
            s.hold("events", APP, D1);
            ExecutorService waiter = Executors.newSingleThreadExecutor();
            try {
                Future<RecordedRequest> signal = waiter.submit(() -> s.awaitHeldRequest(java.time.Duration.ofMinutes(1)));
                // other days, applications and sources are not held
                assertEquals(200, download(s, day2).statusCode());
                assertEquals(200, download(s, forApp(day1, 112)).statusCode());
                assertEquals(200, download(s, day1.replace("/events.csv", "/crashes.csv").replace("event_name%2C", "")).statusCode());
                assertFalse(signal.isDone());
                assertTrue(s.heldRequests().isEmpty());

                assertText(202, "Your query is added to the queue.", get(s, day1, TOKEN));
                RecordedRequest held = signal.get(1, java.util.concurrent.TimeUnit.MINUTES);
                assertEquals("/logs/v1/export/events.csv", held.path());
                assertEquals("2024-01-30", held.query().get("date_since"));
                assertEquals(202, held.status());
                for (int i = 0; i < 5; i++) { // the export does not progress while held
                    assertText(202, "Wait for result. Progress is 50%.", get(s, day1, TOKEN));
                }
                assertEquals(6, s.heldRequests().size());
                assertEquals(held, s.awaitHeldRequest(java.time.Duration.ofMinutes(1)), "the first held request, at once");

                s.releaseHeld(); // it goes on where it was: one more 202, then the file
                assertText(202, "Wait for result. Progress is 50%.", get(s, day1, TOKEN));
                HttpResponse<byte[]> ok = get(s, day1, TOKEN);
                assertEquals(200, ok.statusCode());
                assertEquals(40, parseCsv(ok.body()).size() - 1);
            } finally {
                waiter.shutdownNow();
            }

            // a hold by predicate, with the queue limit as usual: held exports are queued exports
            s.holdExports(q -> q.applicationId() == 113);
            assertTrue(s.heldRequests().isEmpty(), "a new hold forgets the old one's requests");
            for (String source : List.of("errors", "crashes", "installations")) {
                assertText(202, "Your query is added to the queue.", get(s, forApp(
                        export(source, "csv", List.of("appmetrica_device_id"), RANGE), 113), TOKEN));
            }
            assertText(429, LogsApiSimulator.TEXT_QUEUE_FULL, get(s, forApp(eventsCsv(""), 113), TOKEN));
            assertEquals(3, s.heldRequests().size());
            s.releaseHeld();
            assertEquals(200, download(s, forApp(export("errors", "csv", List.of("appmetrica_device_id"), RANGE), 113)).statusCode());
        }
    }

    @Test
    void awaitingAHeldRequestThatNeverComesTimesOut() throws Exception {
        sim.holdExports(q -> false);
        java.util.concurrent.TimeoutException e = assertThrows(java.util.concurrent.TimeoutException.class,
                () -> sim.awaitHeldRequest(java.time.Duration.ofMillis(1)));
        assertTrue(e.getMessage().contains("no held export was requested"), e.getMessage());
    }

    @Test
    void atMostThreeEnqueuedExportsPerApplication() throws Exception {
        String a = eventsCsv("");
        String b = eventsCsv("&os_name=ios");
        String c = eventsCsv("&os_name=android");
        String d = eventsCsv("&os_name=windows");
        assertEquals(202, get(a).statusCode());
        assertEquals(202, get(b).statusCode());
        assertEquals(202, get(c).statusCode());
        assertText(429, "There are already 3 enqueued queries for given application_id. Wait until they are "
                + "completed.", get(d));
        assertEquals(202, get(forApp(d, 112)).statusCode(),
                "other applications are not affected");
        assertEquals(202, get(a).statusCode());
        assertEquals(200, get(a).statusCode());
        assertEquals(202, get(d).statusCode(), "a ready export does not count");
        // part selection is not part of the identity: parts of a ready export are served without queueing
        assertEquals(200, get(a + "&parts_count=2&part_number=1").statusCode());
    }

    // ------------------------------------------------------------------------------------------ bodies

    @Test
    void csvAndJsonOfEverySourceEqualTheGroundTruth() throws Exception {
        try (LogsApiSimulator s = new LogsApiSimulator(config().withReadyAfter(0).withRowsPerDay(30)).start()) {
            SimulatedData truth = new SimulatedData(42, 30);
            for (SourceSpec source : FieldCatalog.get().sources()) {
                List<String> fields = source.fields().stream().map(FieldSpec::name).toList();
                String range = source.datesRequired() ? RANGE : "";
                List<String[]> expected = expected(truth, source, fields, Map.of());

                HttpResponse<byte[]> csv = get(s, export(source.name(), "csv", fields, range), TOKEN);
                assertEquals(200, csv.statusCode(), source.name());
                List<String[]> rows = parseCsv(csv.body());
                assertEquals(fields, List.of(rows.get(0)), "CSV header");
                assertRows(expected, rows.subList(1, rows.size()), source.name() + ".csv");
                assertNotEquals('\n', csv.body()[csv.body().length - 1], "no newline after the last row");

                HttpResponse<byte[]> json = get(s, export(source.name(), "json", fields, range), TOKEN);
                assertEquals(200, json.statusCode(), source.name());
                assertEquals("application/json; charset=utf-8", json.headers().firstValue("Content-Type")
                        .orElse(null));
                assertRows(expected, parseJson(json.body(), fields), source.name() + ".json");
                String jsonText = text(json);
                assertTrue(jsonText.startsWith("{\"data\":[{") && jsonText.endsWith("}]}"));
                assertEquals(expected.size() - 1, jsonText.split("},\n\\{", -1).length - 1, "one row per line");
            }
        }
    }

    @Test
    void csvFormatDetails() throws Exception {
        HttpResponse<byte[]> r = download(export("events", "csv", List.of("event_name", "event_json",
                "event_name"), RANGE));
        String body = text(r);
        assertTrue(body.startsWith("event_name,event_json,event_name\n"), "a repeated field is echoed twice");
        List<String[]> rows = parseCsv(r.body());
        assertEquals(81, rows.size());
        for (String[] row : rows.subList(1, rows.size())) {
            assertEquals(row[0], row[2]);
        }
        assertTrue(body.contains("\"{\"\"key\"\":\"\"va,l\\\"\"ue\"\",\"\"n\"\":1}\""), "RFC 4180 quoting");

        HttpResponse<byte[]> empty = download(eventsCsv("&os_name=symbian"));
        assertEquals("event_datetime,event_name,appmetrica_device_id\n", text(empty));
        HttpResponse<byte[]> emptyJson = download(export("events", "json", List.of("event_name"),
                RANGE + "&os_name=symbian"));
        assertEquals("{\"data\":[]}", text(emptyJson));
        HttpResponse<byte[]> twice = download(export("events", "json", List.of("event_name", "event_name"), RANGE));
        String json = text(twice);
        assertEquals(160, json.split("\"event_name\":", -1).length - 1, "a repeated key appears twice per row");
    }

    @Test
    void sameRequestSameBytes() throws Exception {
        String q = export("crashes", "csv", FieldCatalog.get().source("crashes").orElseThrow().fields().stream()
                .map(FieldSpec::name).toList(), RANGE);
        HttpResponse<byte[]> first = download(q);
        assertEquals(200, first.statusCode());
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(first.body(), get(q).body());
        }
        // a fresh simulator with the same seed prepares the same file
        try (LogsApiSimulator other = new LogsApiSimulator(config()).start()) {
            assertArrayEquals(first.body(), download(other, q).body());
        }
        // no-cache prepares again from the same ground truth
        assertEquals(202, get(q, "Cache-Control", "no-cache").statusCode());
        assertArrayEquals(first.body(), download(q).body());
    }

    @Test
    void filtersAndLimit() throws Exception {
        List<String> fields = List.of("event_name", "os_name", "city");
        HttpResponse<byte[]> r = download(export("events", "csv", fields, RANGE + "&os_name=ios&country_iso_code=RU"));
        List<String[]> rows = parseCsv(r.body());
        List<String[]> expected = expected(new SimulatedData(42, 40), FieldCatalog.get().source("events")
                .orElseThrow(), fields, new LinkedHashMap<>(Map.of("os_name", "ios", "country_iso_code", "RU")));
        assertFalse(expected.isEmpty());
        assertRows(expected, rows.subList(1, rows.size()), "filtered");

        // a non-ASCII city of the ground truth (rows come in sessions: which cities a small day has depends on the seed)
        String city = expected(new SimulatedData(42, 40), FieldCatalog.get().source("events").orElseThrow(), fields,
                Map.of()).stream().map(row -> row[2]).filter(c -> c.chars().anyMatch(ch -> ch > 127))
                .findFirst().orElseThrow();
        HttpResponse<byte[]> unicode = download(export("events", "csv", fields, RANGE + "&city="
                + URLEncoder.encode(city, StandardCharsets.UTF_8)));
        List<String[]> inCity = parseCsv(unicode.body());
        assertTrue(inCity.size() > 1);
        inCity.subList(1, inCity.size()).forEach(row -> assertEquals(city, row[2]));

        HttpResponse<byte[]> limited = download(export("events", "csv", fields, RANGE + "&limit=5"));
        List<String[]> five = parseCsv(limited.body());
        assertRows(expected(new SimulatedData(42, 40), FieldCatalog.get().source("events").orElseThrow(), fields,
                Map.of()).subList(0, 5), five.subList(1, five.size()), "limit");
    }

    @Test
    void partsSplitTooLargeFiles() throws Exception {
        try (LogsApiSimulator s = new LogsApiSimulator(config().withRowsPerDay(50).withMaxRowsPerFile(70)
                .withReadyAfter(1)).start()) {
            List<String> fields = List.of("event_datetime", "event_name", "session_id");
            String q = export("events", "csv", fields, RANGE);
            assertEquals(202, get(s, q, TOKEN).statusCode());
            HttpResponse<byte[]> tooLarge = get(s, q, TOKEN);
            assertText(400, "Too much data. Try to use more parts.", tooLarge);
            assertText(400, "Too much data. Try to use more parts.", get(s, q + "&parts_count=1&part_number=0",
                    TOKEN));

            List<String[]> union = new ArrayList<>();
            for (int part = 0; part < 4; part++) {
                HttpResponse<byte[]> r = get(s, q + "&parts_count=4&part_number=" + part, TOKEN);
                assertEquals(200, r.statusCode(), "parts of a prepared export need no new preparation");
                List<String[]> rows = parseCsv(r.body());
                assertEquals(fields, List.of(rows.get(0)), "each part has its own header");
                assertTrue(rows.size() > 10);
                union.addAll(rows.subList(1, rows.size()));
                assertArrayEquals(r.body(), get(s, q + "&part_number=" + part + "&parts_count=4", TOKEN).body());
            }
            List<String[]> whole = expected(new SimulatedData(42, 50), FieldCatalog.get().source("events")
                    .orElseThrow(), fields, Map.of());
            assertEquals(sortedLines(whole), sortedLines(union), "the parts together are the whole");

            // JSON parts, two of them
            String jq = export("events", "json", fields, RANGE);
            assertEquals(202, get(s, jq + "&parts_count=2&part_number=0", TOKEN).statusCode());
            List<String[]> jsonUnion = new ArrayList<>();
            for (int part = 0; part < 2; part++) {
                HttpResponse<byte[]> r = get(s, jq + "&parts_count=2&part_number=" + part, TOKEN);
                assertEquals(200, r.statusCode(), text(r));
                jsonUnion.addAll(parseJson(r.body(), fields));
            }
            assertEquals(sortedLines(whole), sortedLines(jsonUnion));
        }
    }

    @Test
    void gzipAndBom() throws Exception {
        String q = export("events", "json", List.of("event_name", "city", "event_json"), RANGE);
        HttpResponse<byte[]> plain = download(q);
        HttpResponse<byte[]> gz = get(q, "Accept-Encoding", "gzip");
        assertEquals(200, gz.statusCode());
        assertEquals("gzip", gz.headers().firstValue("Content-Encoding").orElse(null));
        assertEquals(gz.body().length, gz.headers().firstValueAsLong("Content-Length").orElse(-1),
                "the gzip copy is prepared with the file: its length is known before it is sent");
        assertTrue(plain.headers().firstValue("Content-Encoding").isEmpty());
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz.body()))) {
            assertArrayEquals(plain.body(), in.readAllBytes());
        }
        assertArrayEquals(gz.body(), get(q, "Accept-Encoding", "gzip, deflate").body(), "gzip bytes are stable");

        HttpResponse<byte[]> bom = download(q + "&use_utf8_bom=true");
        byte[] b = bom.body();
        assertEquals(3 + plain.body().length, b.length);
        assertArrayEquals(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, Arrays.copyOf(b, 3));
        assertArrayEquals(plain.body(), Arrays.copyOfRange(b, 3, b.length));
        HttpResponse<byte[]> csvBom = download(eventsCsv("&use_utf8_bom=true"));
        assertEquals((byte) 0xEF, csvBom.body()[0]);
    }

    @Test
    void deviceIdsAboveTwoToThe63AreServed() throws Exception {
        HttpResponse<byte[]> r = download(eventsCsv(""));
        BigInteger twoTo63 = BigInteger.ONE.shiftLeft(63);
        boolean above = parseCsv(r.body()).stream().skip(1)
                .anyMatch(row -> new BigInteger(row[2]).compareTo(twoTo63) >= 0);
        assertTrue(above);
    }

    // ------------------------------------------------------------------------------------------ faults

    @Test
    void failNextRequests() throws Exception {
        String q = eventsCsv("");
        sim.failNextRequests(2, 503);
        HttpResponse<byte[]> first = get(q);
        assertEquals(503, first.statusCode());
        assertEquals(PLAIN, first.headers().firstValue("Content-Type").orElse(null));
        assertFalse(text(first).isEmpty());
        assertEquals(200, get("/management/v1/logsapi/status").statusCode(), "only export requests fail");
        assertEquals(503, get(q).statusCode());
        assertEquals(202, get(q).statusCode());
        sim.failNextRequests(1, 500);
        assertEquals(500, get(q).statusCode());
        assertEquals(202, get(q).statusCode());
        assertEquals(200, get(q).statusCode());
    }

    @Test
    void dropNextDownloadsAbortsTheConnection() throws Exception {
        String q = eventsCsv("");
        HttpResponse<byte[]> full = download(q);
        sim.dropNextDownloads(1, 100);
        assertThrows(IOException.class, () -> get(q));
        assertEquals(200, sim.requests().get(sim.requests().size() - 1).status());
        assertArrayEquals(full.body(), get(q).body(), "only the next download is dropped");
    }

    @Test
    void truncateNextDownloadsCutsTheBodyCleanly() throws Exception {
        String q = eventsCsv("");
        HttpResponse<byte[]> full = download(q);
        sim.truncateNextDownloads(2, 100);
        for (int i = 0; i < 2; i++) {
            HttpResponse<byte[]> cut = get(q);
            assertEquals(200, cut.statusCode());
            assertEquals(100, cut.headers().firstValueAsLong("Content-Length").orElse(-1));
            assertArrayEquals(Arrays.copyOf(full.body(), 100), cut.body());
        }
        assertArrayEquals(full.body(), get(q).body());
    }

    @Test
    void faultRateIsSeededAndDeterministic() throws Exception {
        SimulatorConfig faulty = config().withFaultRate(0.3).withSeed(7);
        List<Integer> a = new ArrayList<>();
        List<Integer> b = new ArrayList<>();
        try (LogsApiSimulator s1 = new LogsApiSimulator(faulty).start();
             LogsApiSimulator s2 = new LogsApiSimulator(faulty).start()) {
            for (int i = 0; i < 40; i++) {
                a.add(get(s1, "/management/v1/logsapi/status", TOKEN).statusCode());
                b.add(get(s2, "/management/v1/logsapi/status", TOKEN).statusCode());
            }
        }
        assertEquals(a, b);
        assertTrue(a.stream().anyMatch(st -> st == 200));
        assertTrue(a.stream().filter(st -> st != 200).allMatch(st -> Set.of(500, 502, 503, 504).contains(st)));
        assertTrue(a.stream().filter(st -> st != 200).count() >= 4, a.toString());
    }

    // ------------------------------------------------------------------------------------------ the rest

    @Test
    void managementEndpoints() throws Exception {
        HttpResponse<byte[]> status = get("/management/v1/logsapi/status");
        assertEquals("{\"logs_api_availability_status\":\"enabled\"}", text(status));
        JsonNode app = JSON.readTree(get(sim, "/management/v1/application/" + APP, LIMITED).body()).get("application");
        assertEquals(APP, app.get("id").asLong());
        assertEquals("UTC", app.get("time_zone_name").asText());
        LocalDate.parse(app.get("create_date").asText());
        JsonNode apps = JSON.readTree(get(sim, "/management/v1/applications", LIMITED).body()).get("applications");
        assertEquals(1, apps.size());
        assertEquals(APP, apps.get(0).get("id").asLong());
        assertEquals(403, get(sim, "/management/v1/application/5", LIMITED).statusCode());
        HttpResponse<byte[]> unauthorized = get(sim, "/management/v1/applications", null);
        assertEquals(401, unauthorized.statusCode());
        assertEquals(401, JSON.readTree(unauthorized.body()).get("code").asInt());
        assertEquals(404, get("/management/v1/nothing").statusCode());
    }

    @Test
    void requestsAreRecorded() throws Exception {
        String q = eventsCsv("&os_name=ios");
        get(q, "Cache-Control", "no-cache");
        get(sim, q, null);
        List<RecordedRequest> recorded = sim.requests();
        assertEquals(2, recorded.size());
        RecordedRequest first = recorded.get(0);
        assertEquals("GET", first.method());
        assertEquals("/logs/v1/export/events.csv", first.path());
        assertEquals(String.valueOf(APP), first.query().get("application_id"));
        assertEquals("2024-01-30 00:00:00", first.query().get("date_since"));
        assertEquals("ios", first.query().get("os_name"));
        assertEquals("OAuth " + TOKEN, first.authorization());
        assertEquals("no-cache", first.cacheControl());
        assertEquals(202, first.status());
        assertEquals(401, recorded.get(1).status());
        assertEquals(null, recorded.get(1).authorization());
    }

    @Test
    void setRowsPerDayAffectsLaterPreparations() throws Exception {
        String q = eventsCsv("");
        assertEquals(81, parseCsv(download(q).body()).size());
        sim.setRowsPerDay(5);
        assertEquals(81, parseCsv(get(q).body()).size(), "a ready export keeps its content");
        assertEquals(202, get(q, "Cache-Control", "no-cache").statusCode());
        assertEquals(11, parseCsv(download(q).body()).size());
        assertEquals(5, sim.data().rowsPerDay());
    }

    @Test
    void concurrentDownloads() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<byte[]>> results = new ArrayList<>();
            List<String> queries = new ArrayList<>();
            for (SourceSpec s : FieldCatalog.get().sources()) {
                String q = forApp(export(s.name(), "csv", s.fields().stream().map(FieldSpec::name).toList(),
                        s.datesRequired() ? RANGE : ""), 1000 + queries.size());
                queries.add(q);
                Callable<byte[]> task = () -> {
                    HttpResponse<byte[]> r = download(q);
                    assertEquals(200, r.statusCode());
                    return r.body();
                };
                results.add(pool.submit(task));
            }
            for (int i = 0; i < results.size(); i++) {
                assertArrayEquals(results.get(i).get(), get(queries.get(i)).body());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void largeExportsStreamFromDisk() throws Exception {
        try (LogsApiSimulator s = new LogsApiSimulator(config().withRowsPerDay(100_000).withReadyAfter(0)).start()) {
            String q = export("events", "csv", List.of("event_timestamp", "appmetrica_device_id", "event_name"),
                    "&date_since=2024-01-30&date_until=2024-01-30");
            HttpRequest req = HttpRequest.newBuilder(URI.create(s.baseUrl() + q))
                    .header("Authorization", "OAuth " + TOKEN).build();
            HttpResponse<InputStream> r = HTTP.send(req, HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, r.statusCode());
            long newlines = 0;
            long bytes = 0;
            try (InputStream in = r.body()) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; ) {
                    bytes += n;
                    for (int i = 0; i < n; i++) {
                        if (buf[i] == '\n') {
                            newlines++;
                        }
                    }
                }
            }
            assertEquals(r.headers().firstValueAsLong("Content-Length").orElse(-1), bytes);
            assertTrue(newlines >= 100_000, "header + 100000 rows (event names may hold line breaks)");
        }
    }

    @Test
    void aLargeExportsPreparedGzipDecodesToExactlyItsPlainFile() throws Exception {
        try (LogsApiSimulator s = new LogsApiSimulator(config().withRowsPerDay(30_000).withReadyAfter(0)).start()) {
            List<String> fields = List.of("event_json", "event_name", "appmetrica_device_id", "city", "session_id");
            String q = export("events", "csv", fields, "&date_since=2024-01-30&date_until=2024-01-30");
            HttpResponse<byte[]> gz = download(s, q, "Accept-Encoding", "gzip"); // prepared on this request
            HttpResponse<byte[]> plain = download(s, q);
            assertEquals("gzip", gz.headers().firstValue("Content-Encoding").orElse(null));
            assertEquals(gz.body().length, gz.headers().firstValueAsLong("Content-Length").orElse(-1));
            assertTrue(plain.headers().firstValue("Content-Encoding").isEmpty());
            assertEquals(plain.body().length, plain.headers().firstValueAsLong("Content-Length").orElse(-1));
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz.body()))) {
                assertArrayEquals(plain.body(), in.readAllBytes(), "the gzip copy decodes to the plain file");
            }
            assertTrue(gz.body().length * 3L < plain.body().length, "compressed: " + gz.body().length + " of "
                    + plain.body().length + " bytes");
            List<String[]> expected = new ArrayList<>();
            new SimulatedData(42, 30_000).rows(APP, FieldCatalog.get().source("events").orElseThrow(), D1, fields,
                    Map.of()).forEachRemaining(expected::add);
            List<String[]> rows = parseCsv(plain.body());
            assertRows(expected, rows.subList(1, rows.size()), "plain rows");
        }
    }

    @Test
    void closeStopsTheServer() throws Exception {
        LogsApiSimulator s = new LogsApiSimulator(config().withReadyAfter(0)).start();
        String url = s.baseUrl();
        assertEquals(200, download(s, eventsCsv("")).statusCode());
        s.close();
        s.close();
        assertThrows(IOException.class, () -> HTTP.send(HttpRequest.newBuilder(URI.create(url + "/")).build(),
                HttpResponse.BodyHandlers.discarding()));
        try {
            s.start();
            fail("a closed simulator cannot start again");
        } catch (IllegalStateException | IOException expected) {
            // expected
        }
    }
}
