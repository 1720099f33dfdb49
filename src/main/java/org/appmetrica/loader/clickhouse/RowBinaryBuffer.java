package org.appmetrica.loader.clickhouse;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
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

    public int capacity() {
        return bytes.length;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    /** Sends the bytes as they are (no copy). */
    public void writeTo(OutputStream out) throws IOException {
        out.write(bytes, 0, size);
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

    /** String: varint byte length, then UTF-8 bytes (String.getBytes is a plain copy for Latin-1 text). */
    public void string(String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        string(utf8, 0, utf8.length);
    }

    /** String from UTF-8 bytes already checked: varint byte length, then the bytes as they are. */
    public void string(byte[] utf8, int from, int to) {
        int v = to - from;
        ensure(v + 5);
        while ((v & ~0x7F) != 0) {
            bytes[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        bytes[size++] = (byte) v;
        System.arraycopy(utf8, from, bytes, size, to - from);
        size += to - from;
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            // by half: a chunk's buffer grows to about its budget (chunkMegabytes), not to twice that
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length + (bytes.length >> 1), size + more));
        }
    }
}
