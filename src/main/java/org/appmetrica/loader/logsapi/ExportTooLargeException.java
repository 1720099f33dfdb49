package org.appmetrica.loader.logsapi;

/** The export is larger than {@code maxExportBytes}: downloading it again would not help. */
public final class ExportTooLargeException extends RuntimeException {

    public ExportTooLargeException(String message) {
        super(message);
    }
}
