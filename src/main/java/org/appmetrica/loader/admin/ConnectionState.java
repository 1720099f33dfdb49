package org.appmetrica.loader.admin;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a connection is doing, from its pause flag and its last execution; its JSON is the spelling. */
public enum ConnectionState {
    NEW("new"),
    LOADING("loading"),
    UP_TO_DATE("up-to-date"),
    FAILED("failed"),
    /** as a user asked: no failure, a restart continues it */
    STOPPED("stopped"),
    PAUSED("paused");

    private final String spelling;

    ConnectionState(String spelling) {
        this.spelling = spelling;
    }

    @JsonValue
    @Override
    public String toString() {
        return spelling;
    }
}
