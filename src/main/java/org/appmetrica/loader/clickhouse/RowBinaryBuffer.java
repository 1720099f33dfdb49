package org.appmetrica.loader.clickhouse;

import java.util.Arrays;

/**
 * A growable byte buffer that encodes values in ClickHouse's RowBinary format (little-endian numbers,
 * varint-prefixed UTF-8 strings, a null flag byte before Nullable values). Reused across rows.
 */
public final class RowBinaryBuffer {

    private byte[] bytes;
    private int size;

    public RowBinaryBuffer(int initialCapacity) {
        bytes = new byte[Math.max(64, initialCapacity)];
    }

    public void reset() {
        size = 0;
    }

    public int size() {
        return size;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    public void nullFlag(boolean isNull) {
        ensure(1);
        bytes[size++] = (byte) (isNull ? 1 : 0);
    }

    public void uint8(int value) {
        ensure(1);
        bytes[size++] = (byte) value;
    }

    public void uint16(int value) {
        ensure(2);
        bytes[size++] = (byte) value;
        bytes[size++] = (byte) (value >>> 8);
    }

    public void uint32(long value) {
        ensure(4);
        for (int i = 0; i < 4; i++) {
            bytes[size++] = (byte) (value >>> (8 * i));
        }
    }

    /** Int64 and UInt64 share the wire form; an unsigned value above 2^63 arrives here as a negative long. */
    public void int64(long value) {
        ensure(8);
        for (int i = 0; i < 8; i++) {
            bytes[size++] = (byte) (value >>> (8 * i));
        }
    }

    /** String: varint byte length, then UTF-8 bytes, encoded straight from the chars without a temporary array. */
    public void string(String value) {
        int n = value.length();
        int utf8 = utf8Length(value, n);
        ensure(utf8 + 5);
        int v = utf8;
        while ((v & ~0x7F) != 0) {
            bytes[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        bytes[size++] = (byte) v;
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                bytes[size++] = (byte) c;
            } else if (c < 0x800) {
                bytes[size++] = (byte) (0xC0 | (c >> 6));
                bytes[size++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(value.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, value.charAt(++i));
                bytes[size++] = (byte) (0xF0 | (cp >> 18));
                bytes[size++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                bytes[size++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                bytes[size++] = (byte) (0x80 | (cp & 0x3F));
            } else {
                char ch = Character.isSurrogate(c) ? '\uFFFD' : c;
                bytes[size++] = (byte) (0xE0 | (ch >> 12));
                bytes[size++] = (byte) (0x80 | ((ch >> 6) & 0x3F));
                bytes[size++] = (byte) (0x80 | (ch & 0x3F));
            }
        }
    }

    private static int utf8Length(String s, int n) {
        int len = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                len++;
            } else if (c < 0x800) {
                len += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                len += 4;
                i++;
            } else {
                len += 3;
            }
        }
        return len;
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
