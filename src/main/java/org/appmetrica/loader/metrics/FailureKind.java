package org.appmetrica.loader.metrics;

import org.appmetrica.loader.clickhouse.ClickHouseException;
import org.appmetrica.loader.logsapi.ExportTimeoutException;
import org.appmetrica.loader.logsapi.LogsApiException;
import org.appmetrica.loader.logsapi.StopRequestedException;
import org.appmetrica.loader.logsapi.TransientApiException;

/** The kind label of a failure: what went wrong, from the exception and its causes. */
final class FailureKind {

    private FailureKind() {
    }

    /** Null for a requested stop, which is no failure. */
    static String of(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StopRequestedException) {
                return null;
            }
            if (t instanceof LogsApiException a) {
                return a.status() == 429 || a.status() == 420 ? "api_429" : a.status() >= 500 ? "api_5xx" : "api_4xx";
            }
            if (t instanceof TransientApiException) {
                // the downloader's last error, after its retries ran out
                return String.valueOf(t.getMessage()).contains("last error: HTTP 5") ? "api_5xx" : "api_network";
            }
            if (t instanceof ExportTimeoutException) {
                return "api_timeout";
            }
            if (t instanceof ClickHouseException) {
                return "clickhouse";
            }
            if (t instanceof KindOfFailure k) {
                return k.failureKind();
            }
        }
        return "other";
    }
}
