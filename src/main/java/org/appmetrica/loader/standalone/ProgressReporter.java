package org.appmetrica.loader.standalone;

import jakarta.batch.runtime.BatchStatus;
import org.appmetrica.loader.admin.ExecutionQueries;
import org.appmetrica.loader.admin.Views.Progress;
import org.appmetrica.loader.model.Human;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Every few seconds one line for the whole load, beside the line-per-event log: slices done of all, rows and bytes so
 * far, the rate, and the time left once a slice has been done in this run (before, an estimate means nothing). Reads the
 * figures the console shows (the job repository through {@link ExecutionQueries}).
 */
final class ProgressReporter implements AutoCloseable {

    private static final Logger PROGRESS = Logger.getLogger("org.appmetrica.loader.progress");
    /** Seconds between two lines: APPMETRICA_PROGRESS_SECONDS, 5 by default; 0 turns the lines off. */
    static final String EVERY_ENV = "APPMETRICA_PROGRESS_SECONDS";

    private final ScheduledExecutorService thread;

    private ProgressReporter(ScheduledExecutorService thread) {
        this.thread = thread;
    }

    /** Starts the lines for the execution; close it once the execution ended. */
    static ProgressReporter start(ExecutionQueries queries, long executionId) {
        return start(queries, executionId, seconds(System.getenv(EVERY_ENV)));
    }

    static ProgressReporter start(ExecutionQueries queries, long executionId, long every) {
        if (every <= 0) {
            return new ProgressReporter(null);
        }
        long started = System.currentTimeMillis();
        ScheduledExecutorService thread = LoaderCli.threads(1, "progress");
        thread.scheduleWithFixedDelay(() -> {
            try {
                var e = queries.execution(executionId).execution();
                if (e.progress() != null) {
                    report(e.progress(), System.currentTimeMillis() - started, e.status() == BatchStatus.STOPPING);
                }
            } catch (RuntimeException e) {
                PROGRESS.log(Level.FINE, "progress of execution " + executionId, e);
            }
        }, every, every, TimeUnit.SECONDS);
        return new ProgressReporter(thread);
    }

    static long seconds(String value) {
        try {
            return value == null || value.isBlank() ? 5 : Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return 5;
        }
    }

    private static void report(Progress p, long elapsedMillis, boolean stopping) {
        Map<String, Object> fields = new LinkedHashMap<>();
        String line = stopping ? line(p, elapsedMillis, fields).replaceFirst(", about .* left$", "") + ", stopping"
                : line(p, elapsedMillis, fields);
        if (stopping) {
            fields.remove("secondsLeft");
        }
        PROGRESS.log(Level.INFO, line, fields);
    }

    /**
     * "progress: 12/40 slices, 1,234,567 rows, 120.5 MB, 45,000 rows/s, about 2 min 10 s left"; {@code fields} gets the
     * exact figures (for --log-format json).
     */
    static String line(Progress p, long elapsedMillis, Map<String, Object> fields) {
        int total = Math.max(p.planned(), p.slices() + p.earlier());
        int done = p.completed() + p.earlier();
        long seconds = Math.max(1, elapsedMillis / 1000);
        long rate = p.rows() / seconds;
        StringBuilder s = new StringBuilder("progress: ").append(done).append('/').append(total).append(" slices, ")
                .append(Human.count(p.rows())).append(" rows, ").append(Human.bytes(p.bytes())).append(", ")
                .append(Human.count(rate)).append(" rows/s");
        if (p.failed() > 0) {
            s.append(", ").append(p.failed()).append(" failed");
        }
        fields.put("state", "progress");
        fields.put("slicesDone", done);
        fields.put("slicesTotal", total);
        fields.put("rows", p.rows());
        fields.put("bytes", p.bytes());
        fields.put("rowsPerSecond", rate);
        LongSupplier left = () -> elapsedMillis * (total - done) / Math.max(1, p.completed()) / 1000;
        if (p.completed() > 0 && done < total) {
            s.append(", about ").append(Human.duration(Duration.ofSeconds(left.getAsLong()))).append(" left");
            fields.put("secondsLeft", left.getAsLong());
        }
        return s.toString();
    }

    /**
     * Lets a line being read finish, never interrupts it: a thread interrupted inside the embedded H2 closes the
     * repository's file channel, and the database with it, for this process and every process it serves.
     */
    @Override
    public void close() {
        if (thread != null) {
            thread.shutdown();
            try {
                thread.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
