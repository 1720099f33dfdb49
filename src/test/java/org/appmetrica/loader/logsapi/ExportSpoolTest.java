package org.appmetrica.loader.logsapi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A spool is reused only by the load that wrote it: same request, and the id its checkpoint names. */
class ExportSpoolTest {

    private static final LocalDate DAY = LocalDate.of(2024, 5, 1);

    @TempDir
    Path spoolDir;

    private static ExportRequest request(Map<String, String> filters) {
        return new ExportRequest("http://api", "events", "csv", 401, DAY, DAY, "default", List.of("event_name", "event_datetime"), filters, 1, 0);
    }

    private static final ExportRequest REQUEST = request(Map.of());

    /** What another process left: its own identity, a downloaded part and the submitted mark. */
    private Path leftBehind(ExportRequest request) throws IOException {
        ExportSpool other = new ExportSpool(spoolDir, 1, request);
        String id = other.claim(null);
        other.markSubmitted();
        Path part = other.part(1, 0, "csv");
        Files.writeString(part, "event_name,event_datetime\nplanted,2024-05-01 00:00:00\n");
        Path identity = part.resolveSibling("identity");
        // as if written by another process: this JVM's memory of the id must not count
        Files.writeString(identity, "another-" + id + "\n" + request.fingerprint() + "\n");
        return part;
    }

    @Test
    void theSameRequestWithTheCheckpointedIdKeepsEverything() throws IOException {
        ExportSpool spool = new ExportSpool(spoolDir, 1, REQUEST);
        String id = spool.claim(null);
        spool.markSubmitted();
        Path part = spool.part(1, 0, "csv");
        Files.writeString(part, "x");
        assertEquals(id, new ExportSpool(spoolDir, 1, REQUEST).claim(id));
        assertTrue(Files.exists(part));
        assertTrue(spool.submitted());
    }

    @Test
    void anotherRequestsSpoolIsEmptiedAndGetsANewId() throws IOException {
        Path part = leftBehind(request(Map.of("event_name", "x")));
        ExportSpool spool = new ExportSpool(spoolDir, 1, REQUEST);
        String id = spool.claim(null);
        assertFalse(Files.exists(part), "another request's rows must not be loaded");
        assertFalse(spool.submitted(), "another request's submission says nothing about this one");
        assertEquals(List.of(id, REQUEST.fingerprint()), Files.readAllLines(part.resolveSibling("identity")));
    }

    @Test
    void theSameRequestWithoutProofKeepsOnlyTheSubmittedMark() throws IOException {
        Path part = leftBehind(REQUEST);
        String leftId = Files.readAllLines(part.resolveSibling("identity")).get(0);
        ExportSpool spool = new ExportSpool(spoolDir, 1, REQUEST);
        String id = spool.claim("a-checkpoint-of-another-spool");
        assertNotEquals(leftId, id);
        assertFalse(Files.exists(part), "files of unknown origin are downloaded again");
        assertTrue(spool.submitted(), "the API already queued this very request: no need to ask for a fresh file");
    }

    @Test
    void aRetryInTheProcessThatWroteTheSpoolTrustsItBeforeAnyCheckpoint() throws IOException {
        ExportSpool spool = new ExportSpool(spoolDir, 1, REQUEST);
        String id = spool.claim(null);
        Path part = spool.part(1, 0, "csv");
        Files.writeString(part, "x");
        assertEquals(id, new ExportSpool(spoolDir, 1, REQUEST).claim(null));
        assertTrue(Files.exists(part));
    }

    @Test
    void fingerprintsDifferForEveryPartOfTheRequest() {
        ExportRequest base = new ExportRequest("http://api", "events", "csv", 401, DAY, DAY, "default", List.of("a"), Map.of(), 1, 0);
        List<ExportRequest> others = List.of(
                new ExportRequest("http://other", "events", "csv", 401, DAY, DAY, "default", List.of("a"), Map.of(), 1, 0),
                new ExportRequest("http://api", "crashes", "csv", 401, DAY, DAY, "default", List.of("a"), Map.of(), 1, 0),
                new ExportRequest("http://api", "events", "json", 401, DAY, DAY, "default", List.of("a"), Map.of(), 1, 0),
                new ExportRequest("http://api", "events", "csv", 402, DAY, DAY, "default", List.of("a"), Map.of(), 1, 0),
                new ExportRequest("http://api", "events", "csv", 401, DAY.plusDays(1), DAY.plusDays(1), "default", List.of("a"), Map.of(), 1, 0),
                new ExportRequest("http://api", "events", "csv", 401, DAY, DAY, "receive", List.of("a"), Map.of(), 1, 0),
                new ExportRequest("http://api", "events", "csv", 401, DAY, DAY, "default", List.of("a", "b"), Map.of(), 1, 0),
                new ExportRequest("http://api", "events", "csv", 401, DAY, DAY, "default", List.of("a"), Map.of("a", "1"), 1, 0));
        for (ExportRequest other : others) {
            assertNotEquals(base.fingerprint(), other.fingerprint(), other.toString());
        }
        assertEquals(base.fingerprint(), new ExportRequest("http://api", "events", "csv", 401, DAY, DAY, "default", List.of("a"), Map.of(), 1, 0).fingerprint());
    }
}
