package org.appmetrica.loader.logsapi;

import java.time.Duration;

/**
 * Timing of the export protocol.
 *
 * @param pollInterval   wait between two requests while the API answers 202
 * @param deadline       overall time one export may take before the load fails (restart continues it)
 * @param rateLimitWait  wait after 429 (three exports already queued for the application)
 * @param maxRetries     5xx answers or network errors in a row before giving up
 * @param retryBackoff   first back-off after a 5xx or network error; doubles each time, capped at 5 minutes
 */
public record PollSettings(Duration pollInterval, Duration deadline, Duration rateLimitWait, int maxRetries, Duration retryBackoff) {

    public Duration backoff(int attempt) {
        long ms = retryBackoff.toMillis() << Math.min(attempt - 1, 16);
        return Duration.ofMillis(Math.min(ms, Duration.ofMinutes(5).toMillis()));
    }
}
