package org.appmetrica.loader.simulator;

import java.time.LocalDate;

/**
 * Cursor over the simulated rows of one (application, source): position it on a day, then on a row ordinal, then ask
 * for values. Every value is a pure function of (seed, application, source, day, ordinal, field name); row-level
 * facts shared by several fields (event time, device, location) are derived from the row seed alone, so that a
 * field's value never depends on which other fields were asked for. Not thread-safe; one cursor per thread.
 */
final class SimRow {

    static final int SECONDS_PER_DAY = 86_400;
    /** Day around which the rows of dateless sources (push_tokens, profiles) are spread. */
    static final long DATELESS_ANCHOR_DAY = LocalDate.of(2025, 6, 30).toEpochDay();
    static final int DATELESS_SPREAD_DAYS = 730;
    /** Size of each application's device pool (devices recur across rows, days and sources). */
    static final int DEVICE_POOL = 2000;

    private static final long SALT_T0 = Mix.hash("#t0");
    private static final long SALT_DEVICE = Mix.hash("#device");
    private static final long SALT_LOCATION = Mix.hash("#location");
    private static final long SALT_DAY = Mix.hash("#day");
    private static final long SALT_DATELESS = Mix.hash("#dateless");
    private static final long SALT_EMPTY = Mix.hash("#empty");
    private static final long SALT_RECEIVE = Mix.hash("#receive");

    final SourceInfo source;
    final long app;
    final String appText;
    final long appSeed;
    private final long sourceSeed;

    private long daySeed;
    long epochDay = Long.MIN_VALUE;
    private final char[] dateTime = new char[19];
    private String dayText;

    long ordinal;
    long rowSeed;

    private int t0;
    private long device;
    private boolean deviceKnown;
    private int location;

    SimRow(long seed, long app, SourceInfo source) {
        this.source = source;
        this.app = app;
        this.appText = Long.toString(app);
        this.appSeed = Mix.mix(Mix.mix(seed ^ 0x5DEECE66DL) + app * Mix.GOLDEN);
        this.sourceSeed = Mix.mix(appSeed ^ source.hash);
        dateTime[10] = ' ';
        dateTime[13] = ':';
        dateTime[16] = ':';
    }

    /** Positions the cursor on one day (null for dateless sources). */
    void day(LocalDate day) {
        if (source.dateless) {
            daySeed = Mix.mix(sourceSeed ^ SALT_DATELESS);
            epochDay = Long.MIN_VALUE;
        } else {
            long d = day.toEpochDay();
            daySeed = Mix.mix(sourceSeed ^ Mix.mix(d * Mix.GOLDEN + 1));
            setDay(d);
        }
    }

    /** Positions the cursor on the row with this ordinal (0-based) of the current day. */
    void row(long i) {
        ordinal = i;
        rowSeed = Mix.mix(daySeed + (i + 1) * Mix.GOLDEN);
        t0 = -1;
        deviceKnown = false;
        location = -1;
        if (source.dateless) {
            long d = DATELESS_ANCHOR_DAY - Mix.below(draw(SALT_DAY), DATELESS_SPREAD_DAYS);
            if (d != epochDay) {
                setDay(d);
            }
        }
    }

    String value(FieldGen field) {
        return field.gen().value(this, Mix.mix(rowSeed ^ field.hash()));
    }

    /** A row-level draw shared by every field that uses the same salt. */
    long draw(long salt) {
        return Mix.mix(rowSeed ^ salt);
    }

    private void setDay(long d) {
        epochDay = d;
        dayText = LocalDate.ofEpochDay(d).toString();
        dayText.getChars(0, 10, dateTime, 0);
    }

    String dayText() {
        return dayText;
    }

    /** Second of the day of the row's own event (the source's range field); never empty. */
    int primarySecond() {
        if (t0 < 0) {
            t0 = Mix.below(draw(SALT_T0), SECONDS_PER_DAY);
        }
        return t0;
    }

    /**
     * Second of the day of the moment named by a datetime prefix ({@code event}, {@code click}, ...), or -1 when the
     * row has no such moment (optional moments are empty in about 5% of rows).
     */
    int second(long baseHash, boolean primary, boolean receive) {
        int t = primarySecond();
        if (!primary) {
            long r = Mix.mix(rowSeed ^ baseHash);
            if (Mix.percent(Mix.mix(r ^ SALT_EMPTY)) < 5) {
                return -1;
            }
            t -= Mix.below(r, t + 1); // an earlier moment of the same day (e.g. the click before the install)
        }
        if (receive) {
            long r = Mix.mix(rowSeed ^ baseHash ^ SALT_RECEIVE);
            int p = Mix.percent(r);
            int delay;
            if (p < 70) {
                delay = Mix.below(r, 60);
            } else if (p < 95) {
                delay = 60 + Mix.below(r, 1740);
            } else {
                delay = 1800 + Mix.below(r, 5400);
            }
            t = Math.min(SECONDS_PER_DAY - 1, t + delay);
        }
        return t;
    }

    String dateTime(int secondOfDay) {
        int h = secondOfDay / 3600;
        int m = (secondOfDay / 60) % 60;
        int s = secondOfDay % 60;
        dateTime[11] = (char) ('0' + h / 10);
        dateTime[12] = (char) ('0' + h % 10);
        dateTime[14] = (char) ('0' + m / 10);
        dateTime[15] = (char) ('0' + m % 10);
        dateTime[17] = (char) ('0' + s / 10);
        dateTime[18] = (char) ('0' + s % 10);
        return new String(dateTime);
    }

    String timestamp(int secondOfDay) {
        return Long.toString(epochDay * SECONDS_PER_DAY + secondOfDay);
    }

    /** Seed of the row's device, stable across rows, days and sources of one application. */
    long device() {
        if (!deviceKnown) {
            long no = Mix.below(draw(SALT_DEVICE), DEVICE_POOL);
            device = Mix.mix(appSeed + (no + 1) * Mix.GOLDEN) & ~0x7FFL | no; // low bits keep the pool index
            deviceKnown = true;
        }
        return device;
    }

    int deviceNumber() {
        return (int) (device() & 0x7FF);
    }

    /** Index into the location table, per row. */
    int location(int size) {
        if (location < 0) {
            location = Mix.below(draw(SALT_LOCATION), size);
        }
        return location;
    }
}
