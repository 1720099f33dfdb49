package org.appmetrica.loader.security;

import org.appmetrica.loader.logsapi.ApiResponse;
import org.appmetrica.loader.logsapi.ApplicationsList;
import org.appmetrica.loader.logsapi.ExportRequest;
import org.appmetrica.loader.logsapi.ExportTooLargeException;
import org.appmetrica.loader.logsapi.HttpLogsApiTransport;
import org.appmetrica.loader.logsapi.TransferSettings;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Logs API client against a hostile server (issue 23 item 7), in process: every read is bounded. The same attacks
 * against the loader a user runs, at -Xmx256m, are in {@link HostileApiIT}.
 */
class HostileApiTest {

    private static final Duration SAFETY = Duration.ofSeconds(60);
    private static final ExportRequest REQUEST = new ExportRequest("unused", "events", "csv", 11, LocalDate.of(2024, 1, 1),
            LocalDate.of(2024, 1, 1), "default", List.of("event_name", "city"), Map.of(), 1, 0);

    private static HttpLogsApiTransport transport(HostileApi api, Duration idle, long maxBytes) {
        return new HttpLogsApiTransport(api.url(), "t", Duration.ofSeconds(5), idle, new TransferSettings(maxBytes, true));
    }

    @Test
    void anEndlessErrorBodyIsCutAt4KbAndTheConnectionClosed() throws Exception {
        for (HostileApi.Mode mode : List.of(HostileApi.Mode.ENDLESS_ERROR, HostileApi.Mode.ENDLESS_202)) {
            try (HostileApi api = new HostileApi(mode); HttpLogsApiTransport t = transport(api, SAFETY, 1 << 30);
                 ApiResponse r = t.get(REQUEST, false)) {
                assertEquals(mode == HostileApi.Mode.ENDLESS_ERROR ? 500 : 202, r.status());
                assertEquals(4096, r.text().length());
                assertTrue(api.awaitClosedByClient(SAFETY), "the client closed the connection instead of draining it");
            }
        }
    }

    @Test
    void aHugeHeaderFailsClearly() throws Exception {
        try (HostileApi api = new HostileApi(HostileApi.Mode.HUGE_HEADER); HttpLogsApiTransport t = transport(api, SAFETY, 1 << 30)) {
            IOException e = assertThrows(IOException.class, () -> t.get(REQUEST, false));
            assertTrue(e.getMessage().contains("headers are larger than 64 KB"), e.getMessage());
        }
    }

    @Test
    void anEndlessValidBodyStopsAtMaxExportBytes() throws Exception {
        try (HostileApi api = new HostileApi(HostileApi.Mode.ENDLESS_VALID); HttpLogsApiTransport t = transport(api, SAFETY, 5_000_000);
             ApiResponse r = t.get(REQUEST, false)) {
            byte[] buffer = new byte[1 << 16];
            long read = 0;
            InputStream body = r.body();
            try {
                for (int n; (n = body.read(buffer)) >= 0; ) {
                    read += n;
                }
                throw new AssertionError("the body ended");
            } catch (ExportTooLargeException e) {
                assertTrue(e.getMessage().contains("maxExportBytes=5000000"), e.getMessage());
            }
            assertTrue(read <= 5_000_000, "read " + read);
        }
    }

    @Test
    void aSilentServerFailsAfterTheIdleTimeout() throws Exception {
        try (HostileApi api = new HostileApi(HostileApi.Mode.DRIP); HttpLogsApiTransport t = transport(api, Duration.ofMillis(300), 1 << 30);
             ApiResponse r = t.get(REQUEST, false)) {
            r.body().readNBytes(16); // the CSV header
            IOException e = assertThrows(IOException.class, () -> r.body().read());
            assertTrue(e.getMessage().contains("timed out"), e.getMessage());
        }
    }

    @Test
    void anAbortEndsABlockedRead() throws Exception {
        try (HostileApi api = new HostileApi(HostileApi.Mode.DRIP); HttpLogsApiTransport t = transport(api, SAFETY, 1 << 30);
             ApiResponse r = t.get(REQUEST, false)) {
            r.body().readNBytes(16);
            CompletableFuture<Throwable> blocked = CompletableFuture.supplyAsync(() -> {
                try {
                    r.body().read();
                    return null;
                } catch (IOException e) {
                    return e;
                }
            });
            t.abort(); // whether before or during the read: it fails either way
            Throwable e = blocked.get(SAFETY.toSeconds(), TimeUnit.SECONDS);
            assertTrue(e instanceof IOException && e.getMessage().contains("aborted"), String.valueOf(e));
        }
    }

    @Test
    void anEndlessApplicationsListIsCutAndTheCallEnds() throws Exception {
        try (HostileApi api = new HostileApi(HostileApi.Mode.ENDLESS_APPLICATIONS)) {
            IOException e = assertThrows(IOException.class, () -> ApplicationsList.fetch(api.url(), "t", SAFETY));
            assertTrue(e.getMessage().contains("larger than 8 MB"), e.getMessage());
        }
        try (HostileApi api = new HostileApi(HostileApi.Mode.DRIP)) { // headers, then nothing: the call's own deadline
            IOException e = assertThrows(IOException.class, () -> ApplicationsList.fetch(api.url(), "t", Duration.ofMillis(500)));
            assertTrue(e.getMessage().contains("request to the management API failed"), e.getMessage());
        }
    }
}
