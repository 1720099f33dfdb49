package org.appmetrica.loader.writer;

import org.appmetrica.loader.model.LoadSettings;

import java.time.Duration;

/**
 * How often the writer sends an INSERT again after a transient ClickHouse failure, and the pause before each attempt:
 * the first pause doubles each time, capped at 5 minutes. The values are the load's {@code maxRetries} and
 * {@code retryBackoffSeconds}, the same numbers the Logs API's requests use.
 */
record InsertRetries(int maxRetries, Duration firstBackoff) {

    static InsertRetries of(LoadSettings settings) {
        return new InsertRetries(settings.poll().maxRetries(), settings.poll().retryBackoff());
    }

    Duration backoff(int attempt) {
        long ms = firstBackoff.toMillis() << Math.min(attempt - 1, 16);
        return Duration.ofMillis(Math.min(ms, Duration.ofMinutes(5).toMillis()));
    }
}
