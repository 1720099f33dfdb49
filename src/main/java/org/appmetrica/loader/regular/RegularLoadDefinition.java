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
 * A regular load: the job parameters of {@code appmetrica-load} (without the day range) plus when to run, from which
 * day to load, and how many recent days to load again because late data still changes them.
 *
 * @param reloadWindowDays days after its end a day is still re-loaded (default 7 for device time, 1 for receive time)
 * @param includeToday     also load today's partial day (re-loaded on later runs)
 */
public record RegularLoadDefinition(String name, LocalDate loadFrom, Schedule schedule, int reloadWindowDays,
                                    boolean includeToday, Properties jobParameters, LoadSettings settings) {

    static final Set<String> OWN_KEYS = Set.of("name", "loadFrom", "schedule", "timeZone", "reloadWindowDays", "includeToday");

    public static RegularLoadDefinition parse(Properties p) {
        String name = require(p, "name");
        try {
            Identifiers.requireKey("regular load name", name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
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
        Schedule schedule = Schedule.parse(p.getProperty("schedule", "daily 03:00"), zone);
        Properties job = new Properties();
        for (String key : p.stringPropertyNames()) {
            if (!OWN_KEYS.contains(key)) {
                job.setProperty(key, p.getProperty(key));
            }
        }
        if (job.containsKey(LoadParameters.DATE_SINCE) || job.containsKey(LoadParameters.DATE_UNTIL)) {
            throw new IllegalArgumentException("a regular load chooses its days itself: use loadFrom instead of dateSince/dateUntil");
        }
        LoadSettings settings = LoadParameters.builder().setAll(job).day(loadFrom).parse();
        int defaultWindow = "receive".equals(settings.dateDimension()) ? 1 : 7;
        int window;
        try {
            window = Integer.parseInt(p.getProperty("reloadWindowDays", Integer.toString(defaultWindow)).trim());
            if (window < 0 || window > 365) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("reloadWindowDays='" + p.getProperty("reloadWindowDays") + "': expected 0 to 365");
        }
        boolean today = Boolean.parseBoolean(p.getProperty("includeToday", "false").trim());
        return new RegularLoadDefinition(name, loadFrom, schedule, window, today, job, settings);
    }

    private static String require(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("regular load: " + key + " is required");
        }
        return v.trim();
    }
}
