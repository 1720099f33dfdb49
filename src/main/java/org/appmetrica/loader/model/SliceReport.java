package org.appmetrica.loader.model;

import java.io.Serializable;

/**
 * What one partition did, kept as the partition's persistent user data so that {@code status} and the
 * summary can show it: rows staged, bytes downloaded, the API state and the last message, and when the export's
 * first byte arrived and when the slice was published (epoch milliseconds, 0 until known).
 */
public record SliceReport(String sliceKey, String state, int apiProgress, long rows, long bytes, long millis, String message,
                          long firstByteAt, long publishedAt) implements Serializable {

    private static final long serialVersionUID = 2L;
    /** The state once the slice is swapped into the target table. */
    public static final String PUBLISHED = "published";
    /** The state of a slice a stop ended before it asked the API for anything. */
    public static final String NOT_STARTED = "not started";
    /** The state of a slice a stop ended while it waited (for the API, a permit or another execution): no rows yet. */
    public static final String STOPPED_WAITING = "stopped waiting";

    public static SliceReport start(String sliceKey, String state) {
        return new SliceReport(sliceKey, state, -1, 0, 0, 0, null, 0, 0);
    }

    public SliceReport with(String newState, int progress, long newRows, long newBytes, long newMillis, String newMessage) {
        return new SliceReport(sliceKey, newState, progress, newRows, newBytes, newMillis, newMessage, firstByteAt, publishedAt);
    }

    public SliceReport timed(long newFirstByteAt, long newPublishedAt) {
        return new SliceReport(sliceKey, state, apiProgress, rows, bytes, millis, message, newFirstByteAt, newPublishedAt);
    }
}
