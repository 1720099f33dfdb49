package org.appmetrica.loader.standalone;

import org.appmetrica.loader.admin.Views.Progress;
import org.appmetrica.loader.model.Human;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class ProgressReporterTest {

    @Test
    void theLineTellsSlicesRowsBytesRateAndTimeLeft() {
        Map<String, Object> fields = new HashMap<>();
        // 10 of 40 slices in 20 s: 30 more take about 60 s
        String line = ProgressReporter.line(new Progress(40, 14, 10, 0, 4, 0, 2_000_000, 1_175_921_497L), 20_000, fields);
        assertEquals("progress: 10/40 slices, 2,000,000 rows, 1.1 GB, 100,000 rows/s, about 1 min 0 s left", line);
        assertEquals(1_175_921_497L, fields.get("bytes"), "the exact figure for --log-format json");
        assertEquals(60L, fields.get("secondsLeft"));
    }

    @Test
    void noEstimateBeforeASliceIsDone() {
        Map<String, Object> fields = new HashMap<>();
        String line = ProgressReporter.line(new Progress(8, 1, 0, 0, 1, 0, 500, 2048), 3_000, fields);
        assertEquals("progress: 0/8 slices, 500 rows, 2.0 KB, 166 rows/s", line);
        assertFalse(fields.containsKey("secondsLeft"));
    }

    @Test
    void figuresForPeople() {
        assertEquals("0 B", Human.bytes(0));
        assertEquals("1023 B", Human.bytes(1023));
        assertEquals("1.5 KB", Human.bytes(1536));
        assertEquals("1,234,567", Human.count(1_234_567));
        assertEquals("2 h 5 min", Human.duration(java.time.Duration.ofMinutes(125)));
    }
}
