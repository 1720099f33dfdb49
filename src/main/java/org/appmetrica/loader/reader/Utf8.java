package org.appmetrica.loader.reader;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Strict UTF-8 validation, as the JDK's decoder with {@code REPORT} judges: no overlong forms, no surrogates, nothing
 * above U+10FFFF, no truncated sequence. ASCII runs take the fast path.
 */
final class Utf8 {

    private Utf8() {
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;

    static boolean isValid(byte[] b, int from, int to) {
        int i = from;
        while (i < to) {
            if (i + 16 <= to && ((((long) LONGS.get(b, i)) | ((long) LONGS.get(b, i + 8))) & HIGH_BITS) == 0) {
                i += 16; // sixteen ASCII bytes
                continue;
            }
            if (i + 8 <= to && (((long) LONGS.get(b, i)) & HIGH_BITS) == 0) {
                i += 8; // eight ASCII bytes
                continue;
            }
            int c = b[i];
            if (c >= 0) {
                i++;
                continue;
            }
            c &= 0xFF;
            if (c < 0xC2) {
                return false; // a continuation byte first, or an overlong 2-byte form
            }
            if (c < 0xE0) {
                if (i + 1 >= to || !continuation(b[i + 1])) {
                    return false;
                }
                i += 2;
            } else if (c < 0xF0) {
                if (i + 2 >= to || !continuation(b[i + 1]) || !continuation(b[i + 2])) {
                    return false;
                }
                int second = b[i + 1] & 0xFF;
                if ((c == 0xE0 && second < 0xA0) || (c == 0xED && second > 0x9F)) {
                    return false; // overlong, or a surrogate
                }
                i += 3;
            } else if (c < 0xF5) {
                if (i + 3 >= to || !continuation(b[i + 1]) || !continuation(b[i + 2]) || !continuation(b[i + 3])) {
                    return false;
                }
                int second = b[i + 1] & 0xFF;
                if ((c == 0xF0 && second < 0x90) || (c == 0xF4 && second > 0x8F)) {
                    return false; // overlong, or above U+10FFFF
                }
                i += 4;
            } else {
                return false;
            }
        }
        return true;
    }

    private static boolean continuation(byte b) {
        return (b & 0xC0) == 0x80;
    }
}
