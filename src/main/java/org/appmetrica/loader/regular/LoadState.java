package org.appmetrica.loader.regular;

import java.time.Instant;
import java.time.LocalDate;

/** One row of {@code _load_state}: a day of one application and source, as last loaded by a regular load. */
public record LoadState(String definition, long applicationId, String source, LocalDate day, LocalDate loadFrom,
                        long rows, long executionId, Instant loadedAt) {
}
