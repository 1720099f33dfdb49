package org.appmetrica.loader.logsapi;

/** The export was not ready before the overall deadline. A restart keeps waiting for the same export. */
public class ExportTimeoutException extends RuntimeException {

    public ExportTimeoutException(String message) {
        super(message);
    }
}
