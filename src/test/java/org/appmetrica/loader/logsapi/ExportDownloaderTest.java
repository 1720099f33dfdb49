package org.appmetrica.loader.logsapi;

import org.appmetrica.loader.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The export protocol state machine: 202 / 429 / 5xx / broken bodies / deadline / parts / 4xx / stop. */
class ExportDownloaderTest {

    private static final PollSettings SETTINGS = new PollSettings(Duration.ofSeconds(10), Duration.ofMinutes(5),
            Duration.ofSeconds(60), 3, Duration.ofSeconds(2));
    private static final ExportRequest REQUEST = new ExportRequest("http://api", "events", "csv", 1111,
            LocalDate.of(2024, 3, 1), LocalDate.of(2024, 3, 1), "default", List.of("event_name"), Map.of(), 1, 0);

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2024-03-01T00:00:00Z"));
    private final List<Duration> sleeps = new ArrayList<>();
    private final AtomicBoolean stop = new AtomicBoolean();

    /** Scripted answers; records the no-cache flag of every request. */
    private final class ScriptedTransport implements LogsApiTransport {
        final Deque<Object> answers = new ArrayDeque<>();
        final List<Boolean> noCache = new ArrayList<>();
        final List<Long> atSeconds = new ArrayList<>();

        ScriptedTransport then(Object answer) {
            answers.add(answer);
            return this;
        }

        @Override
        public ApiResponse get(ExportRequest request, boolean noCacheHeader) throws IOException {
            noCache.add(noCacheHeader);
            atSeconds.add(Duration.between(Instant.parse("2024-03-01T00:00:00Z"), clock.instant()).toSeconds());
            Object next = answers.poll();
            if (next instanceof IOException e) {
                throw e;
            }
            return (ApiResponse) next;
        }
    }

    private ExportDownloader downloader(LogsApiTransport transport) {
        return new ExportDownloader(transport, SETTINGS, d -> {
            sleeps.add(d);
            clock.advance(d);
        }, clock, stop::get, ExportProgress.NONE);
    }

    private static ApiResponse ok(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return new ApiResponse(200, null, new ByteArrayInputStream(bytes), bytes.length, null);
    }

    private long slept() {
        return sleeps.stream().mapToLong(Duration::toMillis).sum();
    }

    @Test
    void pollsWhile202ThenSpoolsTheFileAndSendsNoCacheOnlyFirst() throws IOException {
        ScriptedTransport t = new ScriptedTransport()
                .then(ApiResponse.text(202, "Your query is added to the queue."))
                .then(ApiResponse.text(202, "Wait for result. Progress is 40%."))
                .then(ok("event_name\nopen"));
        Download d = downloader(t).download(REQUEST, true, dir.resolve("f.csv"));
        assertEquals("event_name\nopen", Files.readString(d.file()));
        assertEquals(15, d.bytes());
        assertEquals(List.of(true, false, false), t.noCache);
        assertEquals(1_000 + 2_000, slept()); // the first wait short, then longer
        assertEquals(40, ExportDownloader.percentOf("Wait for result. Progress is 40%."));
    }

    @Test
    void waitsLongerOn429AndKeepsTheFirstRequestFresh() {
        ScriptedTransport t = new ScriptedTransport()
                .then(ApiResponse.text(429, "There are already 3 enqueued queries for given application_id."))
                .then(ApiResponse.text(202, "Your query is added to the queue."))
                .then(ok("event_name\n"));
        downloader(t).download(REQUEST, true, dir.resolve("f.csv"));
        assertEquals(List.of(true, true, false), t.noCache);
        assertEquals(60_000 + 1_000, slept());
    }

    /** 1, 2, 4, 8 s, then the interval (10 s here): a long preparation is asked about no more often than that. */
    @Test
    void pollsSoonThenBacksOffToTheInterval() {
        ScriptedTransport t = new ScriptedTransport();
        for (int i = 0; i < 7; i++) {
            t.then(ApiResponse.text(202, "Wait for result. Progress is " + i * 10 + "%."));
        }
        t.then(ok("event_name\n"));
        downloader(t).download(REQUEST, true, dir.resolve("f.csv"));
        assertEquals(List.of(0L, 1L, 3L, 7L, 15L, 25L, 35L, 45L), t.atSeconds);
    }

    @Test
    void retries5xxAndBrokenConnectionsWithBackoff() {
        ScriptedTransport t = new ScriptedTransport()
                .then(ApiResponse.text(503, "busy"))
                .then(new IOException("connection reset"))
                .then(ok("event_name\n"));
        downloader(t).download(REQUEST, false, dir.resolve("f.csv"));
        assertEquals(2_000 + 4_000, slept()); // exponential back-off
    }

    @Test
    void givesUpAfterMaxRetries() {
        ScriptedTransport t = new ScriptedTransport();
        for (int i = 0; i < 10; i++) {
            t.then(ApiResponse.text(500, "oops"));
        }
        TransientApiException e = assertThrows(TransientApiException.class, () -> downloader(t).download(REQUEST, false, dir.resolve("f.csv")));
        assertTrue(e.getMessage().contains("4 times"), e.getMessage());
        assertEquals(4, t.noCache.size());
    }

    @Test
    void truncatedBodyIsRetriedAndNeverKept() throws IOException {
        byte[] full = "event_name\nopen".getBytes(StandardCharsets.UTF_8);
        ApiResponse truncated = new ApiResponse(200, null, new ByteArrayInputStream(full, 0, 5), full.length, null);
        ScriptedTransport t = new ScriptedTransport().then(truncated).then(ok("event_name\nopen"));
        Download d = downloader(t).download(REQUEST, true, dir.resolve("f.csv"));
        assertEquals("event_name\nopen", Files.readString(d.file()));
        assertEquals(List.of(true, false), t.noCache);
        assertFalse(Files.exists(dir.resolve("f.csv.part")));
    }

    @Test
    void failsAtTheDeadlineWithAClearMessage() {
        ScriptedTransport t = new ScriptedTransport();
        for (int i = 0; i < 100; i++) {
            t.then(ApiResponse.text(202, "Wait for result. Progress is 1%."));
        }
        ExportTimeoutException e = assertThrows(ExportTimeoutException.class, () -> downloader(t).download(REQUEST, true, dir.resolve("f.csv")));
        assertTrue(e.getMessage().contains("within 300 s"), e.getMessage());
        assertEquals(33, t.noCache.size()); // at 0, 1, 3, 7, 15 s, then every 10 s up to 295 s
    }

    @Test
    void moreParts400IsItsOwnSignal() {
        ScriptedTransport t = new ScriptedTransport().then(ApiResponse.text(400, "Too much data. Try to use more parts."));
        assertThrows(PartsRequiredException.class, () -> downloader(t).download(REQUEST, true, dir.resolve("f.csv")));
    }

    @Test
    void clientErrorsFailAtOnceWithTheApiText() {
        for (int status : new int[] {400, 401, 403, 404}) {
            ScriptedTransport t = new ScriptedTransport().then(ApiResponse.text(status, "No such field: foo"));
            LogsApiException e = assertThrows(LogsApiException.class, () -> downloader(t).download(REQUEST, true, dir.resolve("f.csv")));
            assertEquals(status, e.status());
            assertTrue(e.getMessage().contains("No such field: foo"), e.getMessage());
            assertEquals(1, t.noCache.size());
        }
    }

    @Test
    void stopEndsTheWaitBetweenPolls() {
        ScriptedTransport t = new ScriptedTransport().then(ApiResponse.text(202, "Your query is added to the queue."));
        LogsApiTransport stopping = (request, noCache) -> {
            stop.set(true);
            return t.get(request, noCache);
        };
        assertThrows(StopRequestedException.class, () -> downloader(stopping).download(REQUEST, true, dir.resolve("f.csv")));
        assertEquals(1, t.noCache.size());
    }

    @SuppressWarnings("unused")
    private static InputStream empty() {
        return InputStream.nullInputStream();
    }
}
