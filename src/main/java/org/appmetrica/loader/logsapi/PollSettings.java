package org.appmetrica.loader.logsapi;

import java.time.Duration;

/**
 * Timing of the export protocol.
 *
 * @param pollInterval   longest wait between two requests while the API answers 202 (see {@link #pollWait})
 * @param deadline       overall time one export may take before the load fails (restart continues it)
 * @param rateLimitWait  wait after 429 (three exports already queued for the application)
 * @param maxRetries     5xx answers or network errors in a row before giving up
 * @param retryBackoff   first back-off after a 5xx or network error; doubles each time, capped at 5 minutes
 */
public record PollSettings(Duration pollInterval, Duration deadline, Duration rateLimitWait, int maxRetries, Duration retryBackoff) {

    /** The first wait after a 202: a small export is often ready within seconds. */
    static final Duration FIRST_POLL_WAIT = Duration.ofSeconds(1);

    /**
     * The wait after the {@code n}-th 202 (from 1): a second, then twice the wait before, up to {@code pollInterval}
     * (1, 2, 4, 8, 10, 10 … s by default), so that an export ready soon is noticed soon and a long one is asked about
     * no more often than the interval; never longer than {@code pollInterval} (0: no wait).
     */
    public Duration pollWait(int n) {
        long ms = FIRST_POLL_WAIT.toMillis() << Math.min(Math.max(n, 1) - 1, 16);
        return Duration.ofMillis(Math.min(ms, pollInterval.toMillis()));
    }

    public Duration backoff(int attempt) {
        long ms = retryBackoff.toMillis() << Math.min(attempt - 1, 16);
        return Duration.ofMillis(Math.min(ms, Duration.ofMinutes(5).toMillis()));
    }
}
