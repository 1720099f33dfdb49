package org.appmetrica.loader.simulator;

import java.util.Random;

/** Injected faults: failed requests (counted or at a seeded random rate) and downloads cut short. */
final class Faults {

    private static final int[] RANDOM_STATUSES = {500, 502, 503, 504};

    /** Where a 200 answer breaks off: {@code dropAt} aborts the connection, {@code truncateAt} ends the body cleanly (-1: not). */
    record Cut(long dropAt, long truncateAt) {
        static final Cut NONE = new Cut(-1, -1);
    }

    private final double rate;
    private final Random random;
    private int failCount;
    private int failStatus;
    private int dropCount;
    private long dropAfter;
    private int truncateCount;
    private long truncateAfter;

    Faults(long seed, double rate) {
        this.rate = rate;
        this.random = new Random(seed ^ 0x5EED_FA17L);
    }

    synchronized void failNext(int count, int status) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status must be 4xx or 5xx: " + status);
        }
        failCount = Math.max(0, count);
        failStatus = status;
    }

    synchronized void dropNext(int count, long afterBytes) {
        dropCount = Math.max(0, count);
        dropAfter = Math.max(0, afterBytes);
    }

    synchronized void truncateNext(int count, long afterBytes) {
        truncateCount = Math.max(0, count);
        truncateAfter = Math.max(0, afterBytes);
    }

    /** The status an export request is failed with, taking one of the counted failures; 0 when none is due. */
    synchronized int takeFailure() {
        if (failCount > 0) {
            failCount--;
            return failStatus;
        }
        return 0;
    }

    /** A random 5xx status at the configured rate (a seeded sequence over all requests); 0 for none. */
    int randomFailure() {
        if (rate <= 0) {
            return 0;
        }
        synchronized (random) {
            if (random.nextDouble() < rate) {
                return RANDOM_STATUSES[random.nextInt(RANDOM_STATUSES.length)];
            }
        }
        return 0;
    }

    /** Takes the cut due for the next 200 answer of {@code length} bytes. */
    synchronized Cut takeCut(long length) {
        if (dropCount > 0) {
            dropCount--;
            return new Cut(Math.min(dropAfter, length), -1);
        }
        if (truncateCount > 0) {
            truncateCount--;
            return new Cut(-1, Math.min(truncateAfter, length));
        }
        return Cut.NONE;
    }
}
