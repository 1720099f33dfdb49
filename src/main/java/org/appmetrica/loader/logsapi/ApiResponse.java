package org.appmetrica.loader.logsapi;

import java.io.IOException;
import java.io.InputStream;

/**
 * One HTTP answer of the Logs API. For 200 the body is a stream to be consumed once; for other statuses
 * {@code text} holds the (short, plain-text) body.
 */
public record ApiResponse(int status, String text, InputStream body, long contentLength, String contentEncoding)
        implements AutoCloseable {

    public static ApiResponse text(int status, String text) {
        return new ApiResponse(status, text, null, -1, null);
    }

    @Override
    public void close() {
        if (body != null) {
            try {
                body.close();
            } catch (IOException ignored) {
                // the connection is discarded either way
            }
        }
    }
}
