package org.appmetrica.loader.logsapi;

/** The Logs API kept failing with 5xx answers or network errors after the bounded retries. */
public class TransientApiException extends RuntimeException {

    public TransientApiException(String message, Throwable cause) {
        super(message, cause);
    }
}
