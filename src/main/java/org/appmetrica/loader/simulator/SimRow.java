package org.appmetrica.loader.simulator;

import java.time.LocalDate;

/**
 * Cursor over the simulated rows of one (application, source): position it on a day, then on a row ordinal, then ask
 * for values. Every value is a pure function of (seed, application, source, day, ordinal, field name); row-level
 * facts shared by several fields (event time, device, location) are derived from the row's or its session's seed
 * alone, so that a field's value never depends on which other fields were asked for. Not thread-safe; one cursor per
 * thread.
 *
 * <p>Rows of a dated source come in sessions, as in a real export, where consecutive rows often share a device:
 * each block of {@value #SESSION_BLOCK} ordinals is cut at two drawn points into three runs (two rows each on
 * average), and the rows of a run share one device, its location and network, the session-level fields
 * ({@link FieldGen#session()}) and a start time, their own times following one another by a few seconds. With every
 * row a device drawn at random, a 200 000-row events export (every field) compressed 2.7 × with gzip level 1; a real
 * 23-field export compressed 4.2 × (issue 27). Blocks of 6 give 4.4 × (level 6: 5.2 ×); blocks of 8 gave 5.1 ×, of
 * 32 9.1 ×. Runs depend on the ordinal only, so a day that grows keeps its first rows.
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
    private static final long SALT_SESSION = Mix.hash("#session");
    private static final long SALT_STEP = Mix.hash("#step");
    /** Ordinals per block; each block holds three sessions. */
    static final int SESSION_BLOCK = 6;

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
    /** Seed of the row's session (the row's own seed for dateless sources). */
    long sessionSeed;
    /** Position of the row within its session, from 0. */
    private int inSession;

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
        session(i);
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

    /** Cuts the ordinal's block at two points drawn from the block's seed: three sessions per block. */
    private void session(long i) {
        if (source.dateless) {
            sessionSeed = rowSeed;
            inSession = 0;
            return;
        }
        long block = i / SESSION_BLOCK;
        int at = (int) (i % SESSION_BLOCK);
        long blockSeed = Mix.mix(daySeed ^ Mix.mix((block + 1) * Mix.GOLDEN ^ SALT_SESSION));
        int a = 1 + Mix.below(blockSeed, SESSION_BLOCK - 1);
        int b = 1 + Mix.below(Mix.mix(blockSeed), SESSION_BLOCK - 1);
        int cut1 = Math.min(a, b);
        int cut2 = Math.max(a, b);
        int segment = at < cut1 ? 0 : at < cut2 ? 1 : 2;
        inSession = at - (segment == 0 ? 0 : segment == 1 ? cut1 : cut2);
        sessionSeed = Mix.mix(blockSeed + (segment + 1) * Mix.GOLDEN);
    }

    String value(FieldGen field) {
        return field.gen().value(this, Mix.mix((field.session() ? sessionSeed : rowSeed) ^ field.hash()));
    }

    /** A row-level draw shared by every field that uses the same salt. */
    long draw(long salt) {
        return Mix.mix(rowSeed ^ salt);
    }

    /** A session-level draw: the same for every row of the session. */
    long sessionDraw(long salt) {
        return Mix.mix(sessionSeed ^ salt);
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
            int start = Mix.below(sessionDraw(SALT_T0), SECONDS_PER_DAY);
            int step = 1 + Mix.below(sessionDraw(SALT_STEP), 40);
            t0 = Math.min(SECONDS_PER_DAY - 1, start + inSession * step);
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
            long r = Mix.mix(sessionSeed ^ baseHash ^ SALT_RECEIVE); // a session's events arrive together
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
            long no = Mix.below(sessionDraw(SALT_DEVICE), DEVICE_POOL);
            device = Mix.mix(appSeed + (no + 1) * Mix.GOLDEN) & ~0x7FFL | no; // low bits keep the pool index
            deviceKnown = true;
        }
        return device;
    }

    int deviceNumber() {
        return (int) (device() & 0x7FF);
    }

    /** Index into the location table, per session. */
    int location(int size) {
        if (location < 0) {
            location = Mix.below(sessionDraw(SALT_LOCATION), size);
        }
        return location;
    }
}
