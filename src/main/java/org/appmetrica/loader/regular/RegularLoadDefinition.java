package org.appmetrica.loader.regular;

import org.appmetrica.loader.clickhouse.Identifiers;
import org.appmetrica.loader.model.LoadParameters;
import org.appmetrica.loader.model.LoadSettings;

import java.time.LocalDate;
import java.util.Properties;

/**
 * A regular load as it runs: the job parameters of {@code appmetrica-load} (without the day range) plus when to run,
 * from which day to load, and how many recent days to load again because late data still changes them. Compiled from
 * a connection (connection.Connection#definition; a regular-load file is read as one).
 *
 * @param reloadDays   days after its end a day is still re-loaded ({@link ReloadDays#defaultFor}: 7, 1 by receive time)
 * @param includeToday also load today's partial day (re-loaded on later runs)
 */
public record RegularLoadDefinition(String name, LocalDate loadFrom, Schedule schedule, int reloadDays,
                                    boolean includeToday, Properties jobParameters, LoadSettings settings) {

    /**
     * Checks the name and the job parameters; {@code reloadDays} null takes the default of the date dimension.
     *
     * @param job the job parameters without dateSince/dateUntil (the planner chooses the days)
     */
    public static RegularLoadDefinition of(String name, LocalDate loadFrom, Schedule schedule, Integer reloadDays, boolean includeToday,
                                           Properties job) {
        Identifiers.requireKey("regular load name", name);
        if (job.containsKey(LoadParameters.DATE_SINCE) || job.containsKey(LoadParameters.DATE_UNTIL)) {
            throw new IllegalArgumentException("a regular load chooses its days itself: use loadFrom instead of dateSince/dateUntil");
        }
        LoadSettings settings = LoadParameters.builder().setAll(job).day(loadFrom).parse();
        int days = reloadDays == null ? ReloadDays.defaultFor(settings.dateDimension()) : ReloadDays.check(reloadDays);
        return new RegularLoadDefinition(name, loadFrom, schedule, days, includeToday, job, settings);
    }
}
