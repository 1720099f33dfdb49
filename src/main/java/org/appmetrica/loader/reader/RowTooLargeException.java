package org.appmetrica.loader.reader;

/** A row or field beyond the reader's bound: the export is refused, not downloaded again (it would be the same). */
public final class RowTooLargeException extends RuntimeException {

    public RowTooLargeException(String message) {
        super(message);
    }
}
