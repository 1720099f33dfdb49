package org.appmetrica.loader.logsapi;

/** 400 {@code Try to use more parts.}: the result is too big for one file; ask again with more parts. */
public class PartsRequiredException extends RuntimeException {

    public PartsRequiredException(String message) {
        super(message);
    }
}
