package org.appmetrica.loader.standalone;

import org.appmetrica.loader.admin.ExecutionQueries;
import org.appmetrica.loader.admin.Views.Progress;
import org.appmetrica.loader.model.Human;
import org.appmetrica.loader.testing.Await;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class ProgressReporterTest {

    @Test
    void closingLetsALineBeingReadFinishWithoutAnInterrupt() throws Exception {
        // an interrupt inside the embedded H2 closes the repository file (ChaosIT saw a run end with "JBERET000626")
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        ExecutionQueries queries = new ExecutionQueries(() -> null, () -> {
            reading.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
            interrupted.compareAndSet(false, Thread.currentThread().isInterrupted());
        });
        ProgressReporter reporter = ProgressReporter.start(queries, 1, 1);
        reading.await();
        Thread closer = new Thread(reporter::close, "closer");
        closer.start();
        // the closer either waits for the line (the fix) or, interrupting it, is already through
        Await.await(() -> closer.getState(), s -> s == Thread.State.TIMED_WAITING || s == Thread.State.TERMINATED,
                Duration.ofSeconds(30), () -> "the closer waiting or done");
        release.countDown();
        closer.join();
        assertFalse(interrupted.get(), "the reading thread was interrupted");
    }

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
