package org.appmetrica.loader.admin;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A refused admin request: the HTTP status the REST API answers with (400 bad parameters, 401 not logged in, 404 unknown
 * execution, 409 wrong state, 415 not JSON, 500/501 server side), a short error code and a message for people.
 */
public final class AdminException extends RuntimeException {

    private final int status;
    private final String error;
    /** Headers the answer carries besides the body (Retry-After, WWW-Authenticate). */
    private final Map<String, String> headers = new LinkedHashMap<>();

    public AdminException(int status, String error, String message) {
        super(message);
        this.status = status;
        this.error = error;
    }

    public AdminException(int status, String error, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.error = error;
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    public AdminException header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public Map<String, String> headers() {
        return Map.copyOf(headers);
    }

    static AdminException badRequest(String message) {
        return new AdminException(400, "bad-request", message);
    }

    static AdminException notFound(String message) {
        return new AdminException(404, "not-found", message);
    }

    static AdminException conflict(String message) {
        return new AdminException(409, "wrong-state", message);
    }

    /** The JSON body of this error, as the REST API and the CLI serve it. */
    public Views.ErrorView view() {
        return new Views.ErrorView(status, error, getMessage());
    }
}
