package org.appmetrica.loader.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A slice's state: one spelling for the repository, the JSON, the logs and the metrics. */
class SliceStateTest {

    @Test
    void eachStateIsItsSpelling() throws Exception {
        assertEquals(List.of("pending", "starting", "requested", "queued", "rate-limited", "retrying", "loading", "published", "failed",
                "not started", "stopped waiting"), Arrays.stream(SliceState.values()).map(SliceState::toString).toList());
        for (SliceState s : SliceState.values()) {
            assertEquals(s, SliceState.of(s.toString()));
            assertEquals("\"" + s + "\"", new ObjectMapper().writeValueAsString(s));
        }
        assertNull(SliceState.of(null));
        assertNull(SliceState.of("downloaded"), "a log event, not a state");
    }

    @Test
    void aReportKeepsItsStateAsTextInTheRepository() throws Exception {
        SliceReport report = SliceReport.start("702/events/2024-01-01", SliceState.QUEUED).with(SliceState.PUBLISHED, 100, 5, 50, 7, null);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(report);
        }
        SliceReport read;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            read = (SliceReport) in.readObject();
        }
        assertEquals(report, read);
        assertEquals("published", read.state(), "text, as earlier versions stored it");
        assertEquals(SliceState.PUBLISHED, read.sliceState());
        assertTrue(read.is(SliceState.PUBLISHED));
    }
}
