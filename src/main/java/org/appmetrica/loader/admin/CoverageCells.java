package org.appmetrica.loader.admin;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** The state of one cell (application, source, day) from what ClickHouse, {@code _load_state} and the job repository say. */
final class CoverageCells {

    private CoverageCells() {
    }

    /** A load that published the day: by a regular load ({@code _load_state}) or a completed slice. */
    record Loaded(long executionId, Instant loadedAt, int reloadDays) {
    }

    /** The newest execution that tried the day and did not publish it: it fails, was stopped, or runs now. */
    record Attempt(long executionId, boolean running, String error, boolean restartable, boolean stopped) {
    }

    /**
     * @param rows    rows in the target table now
     * @param loaded  the newest load that published the day, or null
     * @param attempt the newest execution that has not published it, or null
     */
    static Coverage.Cell cell(LocalDate day, long rows, Loaded loaded, Attempt attempt) {
        boolean attemptIsNewer = attempt != null && (loaded == null || attempt.executionId() > loaded.executionId());
        if (attemptIsNewer && attempt.running()) {
            return new Coverage.Cell(Coverage.LOADING, rows, time(loaded), attempt.executionId(), null, false);
        }
        if (attemptIsNewer && attempt.stopped()) {
            return new Coverage.Cell(Coverage.STOPPED, rows, time(loaded), attempt.executionId(), null, attempt.restartable());
        }
        if (attemptIsNewer) {
            return new Coverage.Cell(Coverage.FAILED, rows, time(loaded), attempt.executionId(), attempt.error(), attempt.restartable());
        }
        if (loaded == null) {
            // rows nobody here loaded (another repository, by hand): present, with nothing known about their age
            return rows > 0 ? new Coverage.Cell(Coverage.FINAL, rows, null, null, null, false)
                    : new Coverage.Cell(Coverage.MISSING, 0, null, null, null, false);
        }
        // as LoadPlanner: a day is final once its end plus the window has passed at the load's time
        Instant finalAt = day.plusDays(1L + loaded.reloadDays()).atStartOfDay(ZoneOffset.UTC).toInstant();
        String state = loaded.loadedAt() == null || loaded.loadedAt().isBefore(finalAt) ? Coverage.RELOADABLE : Coverage.FINAL;
        return new Coverage.Cell(state, rows, time(loaded), loaded.executionId(), null, false);
    }

    private static String time(Loaded loaded) {
        return loaded == null || loaded.loadedAt() == null ? null : loaded.loadedAt().toString();
    }
}
