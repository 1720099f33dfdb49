package org.appmetrica.loader.logsapi;

/** The Logs API refused the request for good (400, 401, 403, 404, …): retrying the same request cannot help. */
public class LogsApiException extends RuntimeException {

    private final int status;

    public LogsApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
