package org.appmetrica.loader.processor;

/** A value that does not fit its column; the message names the slice, the row, the field and the value. */
public class ValueParseException extends RuntimeException {

    public ValueParseException(String message) {
        super(message);
    }
}
