package org.appmetrica.loader.admin;

import java.util.List;
import java.util.Map;

/**
 * Day coverage of one ClickHouse database: per application, a grid of days × sources, each cell in one state. What
 * {@code GET /api/coverage} and {@code coverage --json} answer.
 */
public record Coverage(String database, String from, String to, List<Application> applications) {

    /** Loaded, and its day is past the re-load window: it will not be loaded again. */
    public static final String FINAL = "final";
    /** Loaded, but the day is still inside the re-load window: a regular load will load it again. */
    public static final String RELOADABLE = "reloadable";
    public static final String MISSING = "missing";
    public static final String FAILED = "failed";
    /** A load a user stopped before it published the day: a restart continues it. */
    public static final String STOPPED = "stopped";
    public static final String LOADING = "loading";

    /**
     * @param startParameters the parameters of the newest load of this application, without applications, sources and
     *                        days: what a start of a missing range sends, with those added (secrets stay references)
     */
    public record Application(long applicationId, List<String> sources, List<Day> days, Map<String, String> startParameters) {
    }

    /** One day: the rows of all its sources in ClickHouse and one cell per source. */
    public record Day(String day, long rows, Map<String, Cell> cells) {
    }

    /**
     * @param rows        rows of this application, source and day in the target table now
     * @param loadedAt    when it was last loaded (ISO instant), or null
     * @param executionId the execution that loaded it, fails or loads it now; null when none is known
     * @param error       the failure reason (failed cells)
     * @param restartable a failed or stopped cell whose execution can be restarted (it is the latest of its job instance)
     */
    public record Cell(String state, long rows, String loadedAt, Long executionId, String error, boolean restartable) {
    }
}
