package org.appmetrica.loader.coordination;

/** The coordination tables could not be read or written. */
public class CoordinationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CoordinationException(String message, Throwable cause) {
        super(message, cause);
    }
}
