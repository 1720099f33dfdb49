package org.appmetrica.loader.model;

import java.io.Serializable;

/**
 * What one partition did, kept as the partition's persistent user data so that {@code status} and the
 * summary can show it: rows staged, bytes downloaded, the API state and the last message, and when the export's
 * first byte arrived and when the slice was published (epoch milliseconds, 0 until known).
 *
 * @param state the {@link SliceState}'s spelling: stored as text, so that the job repositories of earlier versions
 *              (and theirs of this one) still read
 */
public record SliceReport(String sliceKey, String state, int apiProgress, long rows, long bytes, long millis, String message,
                          long firstByteAt, long publishedAt) implements Serializable {

    private static final long serialVersionUID = 2L;

    public static SliceReport start(String sliceKey, SliceState state) {
        return new SliceReport(sliceKey, state.toString(), -1, 0, 0, 0, null, 0, 0);
    }

    /** The state, or null for one this version does not know. */
    public SliceState sliceState() {
        return SliceState.of(state);
    }

    public boolean is(SliceState s) {
        return s.toString().equals(state);
    }

    public SliceReport with(SliceState newState, int progress, long newRows, long newBytes, long newMillis, String newMessage) {
        return new SliceReport(sliceKey, newState.toString(), progress, newRows, newBytes, newMillis, newMessage, firstByteAt, publishedAt);
    }

    public SliceReport timed(long newFirstByteAt, long newPublishedAt) {
        return new SliceReport(sliceKey, state, apiProgress, rows, bytes, millis, message, newFirstByteAt, newPublishedAt);
    }
}
