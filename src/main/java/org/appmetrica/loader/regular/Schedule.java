package org.appmetrica.loader.regular;

import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a regular load runs: daily at {@code HH:MM} (also written {@code daily HH:MM}) in a time zone, or
 * {@code every N h}. Files and connections take the same spellings.
 */
public record Schedule(LocalTime dailyAt, Duration every, ZoneId zone) {

    private static final Pattern DAILY = Pattern.compile("(?:daily\\s+)?(\\d{1,2}):(\\d{2})");
    private static final Pattern EVERY = Pattern.compile("every\\s+(\\d+)\\s*h(ours?)?");

    public static Schedule parse(String text, ZoneId zone) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        Matcher m = DAILY.matcher(t);
        if (m.matches() && Integer.parseInt(m.group(1)) < 24 && Integer.parseInt(m.group(2)) < 60) {
            return new Schedule(LocalTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))), null, zone);
        }
        m = EVERY.matcher(t);
        if (m.matches() && Integer.parseInt(m.group(1)) > 0) {
            return new Schedule(null, Duration.ofHours(Integer.parseInt(m.group(1))), zone);
        }
        throw new IllegalArgumentException("schedule='" + text + "': expected 'HH:MM' (or 'daily HH:MM') or 'every N h'");
    }

    /** The one spelling a connection keeps: {@code HH:MM} or {@code every N h}. */
    public String text() {
        return dailyAt != null ? dailyAt.toString() : "every " + every.toHours() + " h";
    }

    /** The first run time strictly after {@code after}. */
    public ZonedDateTime next(ZonedDateTime after) {
        ZonedDateTime local = after.withZoneSameInstant(zone);
        if (dailyAt != null) {
            ZonedDateTime candidate = local.toLocalDate().atTime(dailyAt).atZone(zone);
            return candidate.isAfter(local) ? candidate : candidate.plusDays(1);
        }
        ZonedDateTime midnight = local.toLocalDate().atStartOfDay(zone);
        ZonedDateTime candidate = midnight;
        while (!candidate.isAfter(local)) {
            candidate = candidate.plus(every);
        }
        return candidate;
    }

    /** The last run time at or before {@code at}: a run missed while the process was down is due from then. */
    public ZonedDateTime previous(ZonedDateTime at) {
        ZonedDateTime local = at.withZoneSameInstant(zone);
        if (dailyAt != null) {
            ZonedDateTime candidate = local.toLocalDate().atTime(dailyAt).atZone(zone);
            return candidate.isAfter(local) ? candidate.minusDays(1) : candidate;
        }
        ZonedDateTime candidate = local.toLocalDate().atStartOfDay(zone);
        while (!candidate.plus(every).isAfter(local)) {
            candidate = candidate.plus(every);
        }
        return candidate;
    }
}
