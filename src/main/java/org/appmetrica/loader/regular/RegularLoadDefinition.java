package org.appmetrica.loader.regular;

import org.appmetrica.loader.clickhouse.Identifiers;
import org.appmetrica.loader.model.LoadParameters;
import org.appmetrica.loader.model.LoadSettings;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Properties;
import java.util.Set;

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

    static final Set<String> OWN_KEYS = Set.of("name", "loadFrom", "schedule", "timeZone", ReloadDays.KEY, ReloadDays.ALIAS, "includeToday");

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

    /** The old name of {@link #reloadDays()}, for the in-memory schedules' view until they go. */
    @Deprecated
    public int reloadWindowDays() {
        return reloadDays;
    }

    /**
     * A definition from flat keys, for the in-memory schedules of the REST API until they go: a file is read as a
     * connection instead (connection.ConnectionFile). The same keys, spellings and defaults.
     */
    @Deprecated
    public static RegularLoadDefinition parse(Properties p) {
        String name = require(p, "name");
        LocalDate loadFrom;
        try {
            loadFrom = LocalDate.parse(require(p, "loadFrom"));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("loadFrom='" + p.getProperty("loadFrom") + "' is not a date: expected a day like 2024-01-01");
        }
        ZoneId zone;
        try {
            zone = ZoneId.of(p.getProperty("timeZone", "UTC").trim());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("timeZone='" + p.getProperty("timeZone") + "' is not a time zone: expected e.g. Europe/Moscow or UTC");
        }
        Schedule schedule = Schedule.parse(p.getProperty("schedule", "03:00"), zone);
        Properties job = new Properties();
        for (String key : p.stringPropertyNames()) {
            if (!OWN_KEYS.contains(key)) {
                job.setProperty(key, p.getProperty(key));
            }
        }
        String days = ReloadDays.resolve(name, p.getProperty(ReloadDays.KEY), p.getProperty(ReloadDays.ALIAS));
        boolean today = Boolean.parseBoolean(p.getProperty("includeToday", "false").trim());
        return of(name, loadFrom, schedule, days == null ? null : ReloadDays.parse(days), today, job);
    }

    private static String require(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("regular load: " + key + " is required");
        }
        return v.trim();
    }
}
