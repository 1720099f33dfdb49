package org.appmetrica.loader.clickhouse;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A growable byte buffer of values as ClickHouse's binary formats write them (little-endian numbers, varint-prefixed
 * UTF-8 strings): one column of a {@link NativeBlock}. Reused from chunk to chunk.
 * <p>Held as pages rather than one array: growing adds a page and copies nothing, and a chunk's buffer, reused from
 * chunk to chunk, keeps its pages, so that a load allocates its chunk buffers once and no garbage per row or chunk
 * (growing one array by half to a 32 MB chunk allocated about three times that, all garbage). A value never spans two
 * pages: a string longer than a page gets a page of its own, dropped again at {@link #reset}.
 */
public final class PagedBytes {

    /**
     * Pages after the first: large enough that the per-page work is nothing per row, and under half of G1's smallest
     * region (1 MB), which would hold a 1 MB array as a "humongous" object in two regions, half of them empty.
     */
    static final int PAGE = 256 * 1024;

    private final List<byte[]> pages = new ArrayList<>();
    /** Bytes used of each full page before the current one. */
    private int[] used = new int[8];
    /** The current page, its index, and the bytes used of it. */
    private byte[] bytes;
    private int page;
    private int size;
    /** Bytes in the pages before the current one. */
    private long before;

    public PagedBytes(int initialCapacity) {
        bytes = new byte[Math.max(64, Math.min(initialCapacity, PAGE))];
        pages.add(bytes);
    }

    public void reset() {
        pages.removeIf(p -> p.length > PAGE); // a page of one huge value (a row of crashes) is not kept; never the first
        page = 0;
        bytes = pages.get(0);
        size = 0;
        before = 0;
    }

    /** Bytes held. */
    public long size() {
        return before + size;
    }

    /** Bytes of the pages held, used or not. */
    public long capacity() {
        long total = 0;
        for (byte[] p : pages) {
            total += p.length;
        }
        return total;
    }

    public byte[] toByteArray() {
        long total = size();
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("more than 2 GB in one buffer");
        }
        byte[] all = new byte[(int) total];
        int at = 0;
        for (int i = 0; i < page; i++) {
            System.arraycopy(pages.get(i), 0, all, at, used[i]);
            at += used[i];
        }
        System.arraycopy(bytes, 0, all, at, size);
        return all;
    }

    /** Sends the bytes as they are (no copy). */
    public void writeTo(OutputStream out) throws IOException {
        for (int i = 0; i < page; i++) {
            out.write(pages.get(i), 0, used[i]);
        }
        out.write(bytes, 0, size);
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

    /** {@code count} zero bytes (the value under a NULL). */
    public void zeros(int count) {
        ensure(count);
        Arrays.fill(bytes, size, size + count, (byte) 0);
        size += count;
    }

    /** Goes back to {@code position} (at most {@link #size}): the bytes after it are dropped, the pages kept. */
    public void truncate(long position) {
        if (position > size()) {
            throw new IllegalArgumentException("position " + position + " is past the end " + size());
        }
        while (position < before) {
            page--;
            before -= used[page];
        }
        bytes = pages.get(page);
        size = (int) (position - before);
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
        size = varUInt(bytes, size, v);
        System.arraycopy(utf8, from, bytes, size, to - from);
        size += to - from;
    }

    /**
     * For writers that fill the page themselves (a block of values at once, see processor/ColumnWriter): the current page,
     * moved on first to a page with at least {@code more} bytes free. Write from {@link #at()}, then {@link #at(int)}.
     */
    public byte[] room(int more) {
        ensure(more);
        return bytes;
    }

    /** Where in the current page ({@link #room}) the next byte goes. */
    public int at() {
        return size;
    }

    /** The bytes of the current page up to {@code position} are used: they were written by the caller. */
    public void at(int position) {
        size = position;
    }

    /** Writes {@code v} (not negative) as an unsigned LEB128 number at {@code at}; returns the index after it. */
    public static int varUInt(byte[] bytes, int at, long v) {
        while ((v & ~0x7F) != 0) {
            bytes[at++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        bytes[at++] = (byte) v;
        return at;
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            nextPage(more);
        }
    }

    /** Moves on to a page with room for {@code more} bytes: the next one kept, else a new one. */
    private void nextPage(int more) {
        if (page + 1 == used.length) {
            used = Arrays.copyOf(used, used.length * 2);
        }
        used[page] = size;
        before += size;
        page++;
        if (page < pages.size() && pages.get(page).length < more) {
            if (more > PAGE) {
                pages.add(page, new byte[more]); // a value over a page: a page of its own, dropped at reset
            } else {
                // a small kept page (the first ones are) at least doubles, so that the next fills soon fit in it
                int grown = Math.max(pages.get(page).length, bytes.length) * 2;
                pages.set(page, new byte[Math.max(more, Math.min(PAGE, grown))]);
            }
        } else if (page == pages.size()) {
            pages.add(new byte[Math.max(more, Math.min(PAGE, bytes.length * 2))]);
        }
        bytes = pages.get(page);
        size = 0;
    }
}
