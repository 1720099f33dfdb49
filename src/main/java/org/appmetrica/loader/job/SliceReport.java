package org.appmetrica.loader.job;

import java.io.Serializable;

/**
 * What one partition did, kept as the partition's persistent user data so that {@code status} and the
 * summary can show it: rows staged, bytes downloaded, the API state and the last message.
 */
public record SliceReport(String sliceKey, String state, int apiProgress, long rows, long bytes, long millis, String message)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    public SliceReport with(String newState, int progress, long newRows, long newBytes, long newMillis, String newMessage) {
        return new SliceReport(sliceKey, newState, progress, newRows, newBytes, newMillis, newMessage);
    }
}
