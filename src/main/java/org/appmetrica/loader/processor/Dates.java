package org.appmetrica.loader.processor;

/**
 * Date and DateTime values of one column: the rows of a slice mostly share a few days, so the day of the last
 * yyyy-MM-dd seen is kept and its bytes compared as two loads; the time is checked and read eight bytes at once.
 * Anything else (another day, a malformed value) goes to {@link RowMapper}'s parsers, which check every digit and name
 * what is wrong.
 */
final class Dates {

    /** HH:mm:ss as read little-endian: the digits' bytes, and what they hold after the ':' checks. */
    private static final long TIME_DIGITS = 0xFFFF_00FF_FF00_FFFFL;
    private static final long TIME_COLONS = 0x0000_3A00_003A_0000L;
    private static final long HIGH_NIBBLES = 0xF0F0_F0F0_F0F0_F0F0L;
    private static final long ZEROS = 0x3030_3030_3030_3030L;
    private static final long SIXES = 0x0606_0606_0606_0606L;

    /** The last yyyy-MM-dd parsed: its first eight bytes, its last two, its day; {@code known} once one was. */
    private long head;
    private short tail;
    private long day;
    private boolean known;

    /** yyyy-MM-dd as days since 1970-01-01 (see RowMapper#parseDate). */
    int date(byte[] b, int from, int to) {
        if (to - from == 10 && known && (long) ColumnWriter.LONGS.get(b, from) == head
                && (short) ColumnWriter.SHORTS.get(b, from + 8) == tail) {
            return (int) day;
        }
        int days = RowMapper.parseDate(b, from, to);
        remember(b, from, days);
        return days;
    }

    /** yyyy-MM-dd HH:mm:ss (or a 'T' between) as seconds since the epoch, UTC (see RowMapper#parseDateTime). */
    long dateTime(byte[] b, int from, int to) {
        if (to - from == 19 && known && (b[from + 10] == ' ' || b[from + 10] == 'T')
                && (long) ColumnWriter.LONGS.get(b, from) == head && (short) ColumnWriter.SHORTS.get(b, from + 8) == tail) {
            long t = (long) ColumnWriter.LONGS.get(b, from + 11);
            long digits = t & TIME_DIGITS;
            if ((t & ~TIME_DIGITS) == TIME_COLONS && (digits & HIGH_NIBBLES) == (ZEROS & TIME_DIGITS)
                    && ((digits + (SIXES & TIME_DIGITS)) & HIGH_NIBBLES) == (ZEROS & TIME_DIGITS)) {
                long d = digits - (ZEROS & TIME_DIGITS);
                int h = (int) (d & 0xF) * 10 + (int) (d >>> 8 & 0xF);
                int m = (int) (d >>> 24 & 0xF) * 10 + (int) (d >>> 32 & 0xF);
                int s = (int) (d >>> 48 & 0xF) * 10 + (int) (d >>> 56 & 0xF);
                long seconds = day * 86400 + h * 3600L + m * 60L + s;
                if (h <= 23 && m <= 59 && s <= 59 && seconds >= 0 && seconds <= 0xFFFFFFFFL) {
                    return seconds;
                }
            }
        }
        long seconds = RowMapper.parseDateTime(b, from, to);
        remember(b, from, RowMapper.epochDay(b, from));
        return seconds;
    }

    private void remember(byte[] b, int from, long days) {
        head = (long) ColumnWriter.LONGS.get(b, from);
        tail = (short) ColumnWriter.SHORTS.get(b, from + 8);
        day = days;
        known = true;
    }
}
