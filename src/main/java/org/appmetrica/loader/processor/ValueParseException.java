package org.appmetrica.loader.processor;

import org.appmetrica.loader.metrics.KindOfFailure;

/** A value that does not fit its column; the message names the slice, the row, the field and the value. */
public class ValueParseException extends RuntimeException implements KindOfFailure {

    public ValueParseException(String message) {
        super(message);
    }

    @Override
    public String failureKind() {
        return "bad_value";
    }
}
