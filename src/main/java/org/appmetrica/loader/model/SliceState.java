package org.appmetrica.loader.model;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What a slice (one partition of the load step) is doing: what its {@link SliceReport} records, the console shows as
 * the API state and the slices gauge counts. Its JSON, and its text in the repository and in metrics, is the spelling.
 */
public enum SliceState {
    /** not started yet by this execution (the gauge's count of planned slices no partition has taken) */
    PENDING("pending"),
    /** started, nothing reported yet (the gauge) */
    STARTING("starting"),
    REQUESTED("requested"),
    /** waiting in the API's queue */
    QUEUED("queued"),
    /** the application's API queue is full: waiting to ask again */
    RATE_LIMITED("rate-limited"),
    RETRYING("retrying"),
    /** downloaded: rows going into ClickHouse */
    LOADING("loading"),
    /** swapped into the target table */
    PUBLISHED("published"),
    /** the partition failed (the gauge) */
    FAILED("failed"),
    /** a stop ended it before it asked the API for anything */
    NOT_STARTED("not started"),
    /** a stop ended it while it waited (for the API, a permit or another execution): no rows yet */
    STOPPED_WAITING("stopped waiting");

    private final String spelling;

    SliceState(String spelling) {
        this.spelling = spelling;
    }

    @JsonValue
    @Override
    public String toString() {
        return spelling;
    }

    /** The state of this spelling, or null for null or a spelling this version does not know. */
    public static SliceState of(String spelling) {
        for (SliceState s : values()) {
            if (s.spelling.equals(spelling)) {
                return s;
            }
        }
        return null;
    }
}
