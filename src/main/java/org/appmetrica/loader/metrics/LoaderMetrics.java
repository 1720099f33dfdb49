package org.appmetrica.loader.metrics;

import org.appmetrica.loader.model.Slice;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The loader's counters, for the data path to call at a few points (a slice published, an API answer, a failure
 * recorded). They are kept in {@link Meters}; gauges of state (executions, slices, last day) are read from the job
 * repository (admin.RepositoryGauges). Without Micrometer on the class path (the WAR in a WildFly without its
 * micrometer subsystem) every call does nothing, and this class names no Micrometer type, so it still loads.
 */
public final class LoaderMetrics {

    private static final boolean ENABLED = present("io.micrometer.core.instrument.composite.CompositeMeterRegistry");
    /** When each slice's export last entered or was seen in the API queue (nanoTime), to add up the time waiting. */
    private static final Map<String, Long> QUEUE_SINCE = new ConcurrentHashMap<>();
    private static final int MAX_TRACKED = 10_000;

    private LoaderMetrics() {
    }

    public static boolean enabled() {
        return ENABLED;
    }

    /** A slice was swapped into its table: its rows and the bytes of its export. */
    public static void published(Slice slice, long rows, long bytes) {
        QUEUE_SINCE.remove(slice.key());
        if (ENABLED) {
            Meters.counter("appmetrica.loader.rows.loaded", "rows published into the target tables", "source", slice.source())
                    .increment(rows);
            Meters.counter("appmetrica.loader.bytes.loaded", "bytes of the exports whose rows were published", "source", slice.source())
                    .increment(bytes);
        }
    }

    /** The export of a slice was requested: waiting in the API queue may start now. */
    public static void requested(Slice slice) {
        if (QUEUE_SINCE.size() >= MAX_TRACKED) {
            QUEUE_SINCE.clear(); // slices that failed and never came back; losing a few seconds of wait is fine
        }
        QUEUE_SINCE.put(slice.key(), System.nanoTime());
    }

    /** The API answered 202 (queued, being prepared) or 429: the time since the last answer was spent waiting. */
    public static void waited(Slice slice) {
        long now = System.nanoTime();
        Long since = QUEUE_SINCE.put(slice.key(), now);
        if (since != null && ENABLED) {
            Meters.counter("appmetrica.loader.api.queue.wait.seconds", "seconds exports spent waiting in the Logs API queue "
                    + "(up to its last 202 or 429 answer)", "source", slice.source()).increment((now - since) / 1e9);
        }
    }

    /** The API answered 429 or 420: the application's queue is full; the request is repeated after a pause. */
    public static void rateLimited(Slice slice) {
        waited(slice);
        retried("api_429");
    }

    /** A request to the API failed and is repeated; {@code reason} as the downloader tells it ("HTTP 503 …", an I/O error). */
    public static void retrying(String reason) {
        retried(reason != null && reason.startsWith("HTTP 5") ? "api_5xx" : "api_network");
    }

    /** A chunk, step or job failed with this error (the runtime may still retry a chunk). */
    public static void failed(Throwable e) {
        String kind = FailureKind.of(e);
        if (kind != null && ENABLED) {
            Meters.counter("appmetrica.loader.failures", "errors that failed a chunk, a slice or a step, by kind", "kind", kind).increment();
        }
    }

    private static void retried(String kind) {
        if (ENABLED) {
            Meters.counter("appmetrica.loader.retries", "requests to the Logs API repeated after an error or a full queue, by kind",
                    "kind", kind).increment();
        }
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, LoaderMetrics.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
