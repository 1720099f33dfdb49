package org.appmetrica.loader.logsapi;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * At most three open exports per application and API (docs/logs-api.md §4.6: a fourth is refused with 429), shared by all
 * partitions in this JVM.
 */
final class ExportPermits {

    static final int PER_APPLICATION = 3;
    private static final ConcurrentHashMap<String, Semaphore> PERMITS = new ConcurrentHashMap<>();

    private ExportPermits() {
    }

    /** Waits for a permit; returns false if a stop was requested first. */
    static boolean acquire(String apiUrl, long applicationId, BooleanSupplier stopRequested) throws InterruptedException {
        Semaphore s = PERMITS.computeIfAbsent(apiUrl + "#" + applicationId, k -> new Semaphore(PER_APPLICATION, true));
        while (!s.tryAcquire(200, TimeUnit.MILLISECONDS)) {
            if (stopRequested.getAsBoolean()) {
                return false;
            }
        }
        return true;
    }

    static void release(String apiUrl, long applicationId) {
        PERMITS.get(apiUrl + "#" + applicationId).release();
    }

    /** Permits not taken now (for tests). */
    static int available(String apiUrl, long applicationId) {
        Semaphore s = PERMITS.get(apiUrl + "#" + applicationId);
        return s == null ? PER_APPLICATION : s.availablePermits();
    }
}
