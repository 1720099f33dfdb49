package org.appmetrica.loader.logsapi;

import org.appmetrica.loader.testing.FakeLogsApi;
import org.appmetrica.loader.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One slice's export brought to disk through a fake Logs API: parts, permits, hashes, the submitted mark, tokens. */
class ExportFetcherTest {

    private static final LocalDate DAY = LocalDate.of(2024, 5, 1);
    private static final String API = "http://fake-api-" + ExportFetcherTest.class.getSimpleName();
    private static final ExportRequest REQUEST = new ExportRequest(API, "events", "csv", 501, DAY, DAY, "default",
            List.of("event_name"), Map.of(), 1, 0);
    /** No waiting between polls: the tests never sleep. */
    private static final PollSettings POLL = new PollSettings(Duration.ZERO, Duration.ofHours(1), Duration.ZERO, 2, Duration.ZERO);

    @TempDir
    Path spoolDir;

    private final FakeLogsApi api = new FakeLogsApi();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicInteger tokenReads = new AtomicInteger();

    @AfterEach
    void permitsAreBack() {
        assertEquals(ExportPermits.PER_APPLICATION, ExportPermits.available(API, 501), "every permit taken was released");
        assertEquals(0, api.openTransports(), "every transport opened was closed");
    }

    private ExportFetcher fetcher(int partsCount) {
        return new ExportFetcher(REQUEST, partsCount, spoolDir, 7, api, () -> {
            tokenReads.incrementAndGet();
            return "the-token";
        }, POLL, d -> {
            throw new AssertionError("no test sleeps: " + d);
        }, new MutableClock(Instant.parse("2024-05-02T00:00:00Z")), stop::get);
    }

    private static ExportFetcher.Export fetch(ExportFetcher fetcher) throws Exception {
        return fetcher.fetch(List.of(), () -> ExportProgress.NONE);
    }

    private static String file(ExportRequest r) {
        return "event_name\n" + r.describe() + "\n";
    }

    private static String sha256(String text) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void downloadsOnePartWithTheDownloadsHash() throws Exception {
        api.serving(ExportFetcherTest::file);
        ExportFetcher fetcher = fetcher(1);
        fetcher.claim(null);
        ExportFetcher.Export export = fetch(fetcher);
        assertEquals(1, export.files().size());
        assertEquals(file(REQUEST), Files.readString(export.files().get(0)));
        assertEquals(List.of(sha256(file(REQUEST))), export.partSha256());
        assertEquals(file(REQUEST).length(), export.bytes());
        assertEquals(List.of("the-token"), api.tokens());
        assertTrue(api.calls().get(0).noCache(), "the first request asks for a fresh file");
    }

    @Test
    void asksForTwiceThePartsWhileTheApiSaysTheFileIsTooLarge() throws Exception {
        api.then(FakeLogsApi.moreParts()).then(FakeLogsApi.moreParts()).serving(ExportFetcherTest::file);
        ExportFetcher fetcher = fetcher(1);
        fetcher.claim(null);
        ExportFetcher.Export export = fetch(fetcher);
        assertEquals(4, fetcher.partsCount());
        assertEquals(4, export.files().size());
        List<FakeLogsApi.Call> calls = api.calls();
        assertEquals(List.of(1, 2, 4, 4, 4, 4), calls.stream().map(c -> c.request().partsCount()).toList());
        assertEquals(List.of(0, 0, 0, 1, 2, 3), calls.stream().map(c -> c.request().partNumber()).toList());
        for (int part = 0; part < 4; part++) {
            ExportRequest r = REQUEST.withPart(4, part);
            assertEquals(file(r), Files.readString(export.files().get(part)));
            assertEquals(sha256(file(r)), export.partSha256().get(part));
        }
    }

    @Test
    void failsBeyondSixtyFourParts() {
        api.otherwise(r -> FakeLogsApi.moreParts());
        ExportFetcher fetcher = fetcher(32);
        fetcher.claim(null);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> fetch(fetcher));
        assertTrue(e.getMessage().contains("even with 64 parts"), e.getMessage());
        assertEquals(64, fetcher.partsCount());
    }

    @Test
    void releasesThePermitWhenTheApiRefuses() {
        api.then(ApiResponse.text(403, "forbidden"));
        ExportFetcher fetcher = fetcher(1);
        fetcher.claim(null);
        assertThrows(LogsApiException.class, () -> fetch(fetcher));
        // permitsAreBack checks the rest
    }

    @Test
    void aSpoolOfThisLoadIsReusedWithItsSavedHashesWithoutTheApiOrTheToken() throws Exception {
        api.serving(ExportFetcherTest::file);
        ExportFetcher first = fetcher(1);
        String id = first.claim(null);
        ExportFetcher.Export downloaded = fetch(first);
        int calls = api.calls().size();

        // the saved hash is what counts: the file is not read again to hash it
        Path part = downloaded.files().get(0);
        Files.writeString(part.resolveSibling(part.getFileName() + ".sha256"), "saved-while-downloading");
        ExportFetcher again = fetcher(1);
        assertEquals(id, again.claim(id));
        ExportFetcher.Export reused = fetch(again);
        assertEquals(List.of("saved-while-downloading"), reused.partSha256());
        assertEquals(downloaded.files(), reused.files());
        assertEquals(calls, api.calls().size(), "nothing requested again");
        assertEquals(1, tokenReads.get(), "the token is read only to send a request");
    }

    @Test
    void aPartWithoutSavedHashUsesTheCheckpointsOrIsDownloadedAgain() throws Exception {
        api.serving(ExportFetcherTest::file);
        ExportFetcher first = fetcher(1);
        String id = first.claim(null);
        Path part = fetch(first).files().get(0);
        Files.delete(part.resolveSibling(part.getFileName() + ".sha256")); // as spooled by an older version

        ExportFetcher withCheckpoint = fetcher(1);
        withCheckpoint.claim(id);
        assertEquals(List.of("from-the-checkpoint"), withCheckpoint.fetch(List.of("from-the-checkpoint"), () -> ExportProgress.NONE).partSha256());
        assertEquals(1, api.calls().size());

        ExportFetcher withoutCheckpoint = fetcher(1);
        withoutCheckpoint.claim(id);
        assertEquals(List.of(sha256(file(REQUEST))), fetch(withoutCheckpoint).partSha256());
        assertEquals(2, api.calls().size(), "a part whose hash is known nowhere is downloaded again");
    }

    @Test
    void aSubmittedExportIsAskedForAgainWithoutNoCache() throws Exception {
        api.then(FakeLogsApi.queued(10)).otherwise(r -> {
            stop.set(true);
            return FakeLogsApi.queued(20);
        });
        ExportFetcher first = fetcher(1);
        String id = first.claim(null);
        assertThrows(StopRequestedException.class, () -> fetch(first));
        assertTrue(api.calls().get(0).noCache());
        assertFalse(api.calls().get(1).noCache(), "the API moves an export sent no-cache again to the end of its queue");

        stop.set(false);
        api.serving(ExportFetcherTest::file);
        ExportFetcher restarted = fetcher(1);
        restarted.claim(id);
        fetch(restarted);
        assertFalse(api.calls().get(2).noCache(), "the export is queued already: a restart must not ask for a fresh one");
    }

    @Test
    void discardedPartsAreDownloadedAgain() throws Exception {
        api.serving(ExportFetcherTest::file);
        ExportFetcher fetcher = fetcher(1);
        String id = fetcher.claim(null);
        Path part = fetch(fetcher).files().get(0);
        fetcher.discardParts();
        assertFalse(Files.exists(part));
        assertFalse(Files.exists(part.resolveSibling(part.getFileName() + ".sha256")));
        ExportFetcher again = fetcher(1);
        again.claim(id);
        fetch(again);
        assertEquals(2, api.calls().size());
    }

    @Test
    void aStopWhileWaitingForAPermitEndsTheFetch() throws Exception {
        api.serving(ExportFetcherTest::file);
        for (int i = 0; i < ExportPermits.PER_APPLICATION; i++) {
            assertTrue(ExportPermits.acquire(API, 501, () -> false));
        }
        try {
            stop.set(true);
            ExportFetcher fetcher = fetcher(1);
            fetcher.claim(null);
            assertThrows(StopRequestedException.class, () -> fetch(fetcher));
            assertEquals(0, api.calls().size());
        } finally {
            for (int i = 0; i < ExportPermits.PER_APPLICATION; i++) {
                ExportPermits.release(API, 501);
            }
        }
    }

    @Test
    void theSpoolIsNamedByTheSliceNotByThePart() throws IOException {
        assertEquals(new ExportSpool(spoolDir, 7, REQUEST).part(1, 0, "csv"),
                new ExportSpool(spoolDir, 7, REQUEST.withPart(4, 2)).part(1, 0, "csv"));
    }
}
