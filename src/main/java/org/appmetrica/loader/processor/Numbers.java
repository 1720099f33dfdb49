package org.appmetrica.loader.processor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Decimal integers parsed from ASCII bytes, accepting what {@link Long#parseLong(String)} and
 * {@link Long#parseUnsignedLong(String)} accept (an optional sign, then digits, in range). Up to 18 digits cannot
 * overflow, so the usual value takes a loop with no range checks. One deliberate difference: only ASCII digits count
 * (the JDK also takes other scripts' digits, which no API value holds).
 */
final class Numbers {

    private static final int SAFE_DIGITS = 18;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_NIBBLES = 0xF0F0F0F0F0F0F0F0L;
    private static final long ZEROS = 0x3030303030303030L;
    private static final long UNSIGNED_LIMIT = Long.divideUnsigned(-1L, 10); // (2^64 - 1) / 10

    private Numbers() {
    }

    static long parseLong(byte[] b, int from, int to) {
        long n = plainDigits(b, from, to);
        return n >= 0 ? n : parseLongChecked(b, from, to);
    }

    /** 0..2^64-1; values above 2^63-1 come back negative (the same 64 bits). */
    static long parseUnsignedLong(byte[] b, int from, int to) {
        long n = plainDigits(b, from, to);
        if (n >= 0) {
            return n;
        }
        int length = to - from;
        if (length > 16 && length <= 20 && to >= 24) { // 64-bit ids: three words, the first with 1 to 4 digits
            long high = eightOrMinus(digitsBelow((long) LONGS.get(b, to - 24), length - 16));
            long middle = eightOrMinus((long) LONGS.get(b, to - 16));
            long low = eightOrMinus((long) LONGS.get(b, to - 8));
            long rest = middle * 100_000_000 + low;
            // below 2^64 = 1844|6744073709551616; the sum wraps to the same 64 bits as the unsigned value
            if ((high | middle | low) >= 0 && (high < 1844 || (high == 1844 && rest <= 6_744_073_709_551_615L))) {
                return high * 10_000_000_000_000_000L + rest;
            }
        }
        return parseUnsignedLongChecked(b, from, to);
    }

    /**
     * The usual value: 1 to 16 ASCII digits and nothing else, read right-aligned as one or two eight-byte loads ending
     * at {@code to} (the bytes before {@code from} taken as '0'); -1 for anything else (a sign, more digits, a
     * non-digit, too close to the array's start), which the checked parsers then read byte by byte.
     */
    private static long plainDigits(byte[] b, int from, int to) {
        int length = to - from;
        if (length <= 0 || length > 16 || to < 16) {
            return -1;
        }
        if (length <= 8) {
            return eightOrMinus(digitsBelow((long) LONGS.get(b, to - 8), length));
        }
        long high = eightOrMinus(digitsBelow((long) LONGS.get(b, to - 16), length - 8));
        long low = eightOrMinus((long) LONGS.get(b, to - 8));
        return (high | low) < 0 ? -1 : high * 100_000_000 + low;
    }

    /** The eight bytes ending at a value's last digit with the first {@code 8 - length} (not the value's) set to '0'. */
    private static long digitsBelow(long x, int length) {
        long keep = -1L << (8 * (8 - length)); // length 1..8: a shift of 56..0
        return (x & keep) | (ZEROS & ~keep);
    }

    /** Eight ASCII digits (the first in the lowest byte) as a number, or -1 if a byte is not a digit. */
    private static long eightOrMinus(long x) {
        if ((x & HIGH_NIBBLES) != ZEROS || ((x + 0x0606060606060606L) & HIGH_NIBBLES) != ZEROS) {
            return -1;
        }
        x = (x & 0x0F0F0F0F0F0F0F0FL) * 2561 >>> 8;
        x = (x & 0x00FF00FF00FF00FFL) * 6553601 >>> 16;
        return (x & 0x0000FFFF0000FFFFL) * 42949672960001L >>> 32;
    }

    private static long parseLongChecked(byte[] b, int from, int to) {
        boolean negative = b[from] == '-';
        int i = skipZeros(b, negative || b[from] == '+' ? from + 1 : from, to);
        if (i == to || to - i > SAFE_DIGITS + 1) {
            throw invalid(b, from, to);
        }
        if (to - i <= SAFE_DIGITS) {
            long n = digits(b, i, to, from);
            return negative ? -n : n;
        }
        long n = digits(b, i, to - 1, from); // 18 digits, then the 19th with a range check
        int last = digit(b, to - 1, from, to);
        long limit = negative ? 8 : 7; // the last digit of 2^63 and of 2^63 - 1
        if (n > Long.MAX_VALUE / 10 || (n == Long.MAX_VALUE / 10 && last > limit)) {
            throw invalid(b, from, to);
        }
        return negative ? -n * 10 - last : n * 10 + last;
    }

    private static long parseUnsignedLongChecked(byte[] b, int from, int to) {
        int i = skipZeros(b, b[from] == '+' ? from + 1 : from, to);
        if (i == to || to - i > SAFE_DIGITS + 2) {
            throw invalid(b, from, to);
        }
        int safeEnd = Math.min(to, i + SAFE_DIGITS);
        long n = digits(b, i, safeEnd, from);
        for (int j = safeEnd; j < to; j++) {
            int d = digit(b, j, from, to);
            if (Long.compareUnsigned(n, UNSIGNED_LIMIT) > 0 || (n == UNSIGNED_LIMIT && d > 5)) {
                throw invalid(b, from, to);
            }
            n = n * 10 + d;
        }
        return n;
    }

    /** Past leading zeros, keeping the last digit: they do not count towards the range. */
    private static int skipZeros(byte[] b, int from, int to) {
        int i = from;
        while (i < to - 1 && b[i] == '0') {
            i++;
        }
        return i;
    }

    /** Digits only, at most 18 of them: no overflow. */
    private static long digits(byte[] b, int from, int to, int valueStart) {
        long n = 0;
        int i = from;
        for (; i + 8 <= to; i += 8) {
            n = n * 100_000_000 + eight(b, i, valueStart, to);
        }
        for (; i < to; i++) {
            int d = b[i] - '0';
            if ((d | (9 - d)) < 0) {
                throw invalid(b, valueStart, to);
            }
            n = n * 10 + d;
        }
        return n;
    }

    /**
     * Eight ASCII digits at once (the first in the lowest byte of a little-endian load): a byte is a digit if its high
     * nibble is 3 both before and after adding 6; then pairs, quads and the octet are combined by three multiplications.
     */
    private static long eight(byte[] b, int at, int valueStart, int valueEnd) {
        long x = (long) LONGS.get(b, at);
        if ((x & HIGH_NIBBLES) != ZEROS || ((x + 0x0606060606060606L) & HIGH_NIBBLES) != ZEROS) {
            throw invalid(b, valueStart, valueEnd);
        }
        x = (x & 0x0F0F0F0F0F0F0F0FL) * 2561 >>> 8;
        x = (x & 0x00FF00FF00FF00FFL) * 6553601 >>> 16;
        return (x & 0x0000FFFF0000FFFFL) * 42949672960001L >>> 32;
    }

    private static int digit(byte[] b, int at, int from, int to) {
        int d = b[at] - '0';
        if ((d | (9 - d)) < 0) {
            throw invalid(b, from, to);
        }
        return d;
    }

    private static NumberFormatException invalid(byte[] b, int from, int to) {
        return new NumberFormatException("For input string: \"" + new String(b, from, to - from, StandardCharsets.UTF_8) + "\"");
    }
}
