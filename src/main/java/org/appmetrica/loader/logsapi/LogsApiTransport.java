package org.appmetrica.loader.logsapi;

import java.io.IOException;

/** Sends one export request. Implementations add the OAuth header and never log the token. */
public interface LogsApiTransport extends AutoCloseable {

    /**
     * @param noCache send {@code Cache-Control: no-cache} (only on the first request of an export)
     * @throws IOException on connection failures and timeouts (transient)
     */
    ApiResponse get(ExportRequest request, boolean noCache) throws IOException;

    /** Called from another thread on a stop: a read blocked in the request in progress must fail at once. */
    default void abort() {
    }

    @Override
    default void close() {
    }
}
