package org.appmetrica.loader.clickhouse;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PagedBytesTest {

    /** The same values written to a buffer and, by hand, to one array. */
    @Test
    void valuesAcrossPagesComeOutInOrderAndWhole() throws IOException {
        PagedBytes buffer = new PagedBytes(64);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        byte[] huge = new byte[PagedBytes.PAGE * 2 + 7];
        Arrays.fill(huge, (byte) 'x');
        for (int i = 0; i < 40_000; i++) {
            buffer.int64(i);
            expected.write(le(i, 8), 0, 8);
            byte[] text = ("value " + i).getBytes();
            buffer.string(text, 0, text.length);
            expected.write(text.length);
            expected.write(text);
            if (i == 20_000) {
                buffer.string(huge, 0, huge.length);
                expected.write(varint(huge.length));
                expected.write(huge);
            }
        }
        assertEquals(expected.size(), buffer.size());
        assertArrayEquals(expected.toByteArray(), buffer.toByteArray());
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        buffer.writeTo(sent);
        assertArrayEquals(expected.toByteArray(), sent.toByteArray());
        long held = buffer.capacity();
        assertTrue(held > huge.length, "the huge value got a page of its own");
        buffer.reset();
        assertTrue(buffer.capacity() <= held - huge.length, "a page of one huge value is not kept: " + buffer.capacity());
        assertEquals(0, buffer.size());
    }

    /** A chunk's buffer grows without copying, and a refill after a reset allocates nothing. */
    @Test
    void growingAndRefillingAllocateOnlyThePagesHeld() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().getId();
        byte[] value = new byte[300];
        int values = 32 * PagedBytes.PAGE / 302;
        long a0 = threads.getThreadAllocatedBytes(self);
        PagedBytes buffer = new PagedBytes(1 << 20);
        fill(buffer, value, values);
        long grown = threads.getThreadAllocatedBytes(self) - a0;
        assertTrue(grown < buffer.capacity() + (1 << 20), "filling 32 MB allocated " + grown + " bytes, holds " + buffer.capacity());
        long held = buffer.capacity();
        long a1 = threads.getThreadAllocatedBytes(self);
        buffer.reset();
        fill(buffer, value, values);
        long refill = threads.getThreadAllocatedBytes(self) - a1;
        assertTrue(refill < 64 * 1024, "a refill allocated " + refill + " bytes");
        assertEquals(held, buffer.capacity());
    }

    /**
     * Values of varying widths, wider than the first small pages: a kept page too small for the next value at
     * least doubles;
     * refills reuse the pages and allocate nothing (small pages were once inserted, one more each refill).
     */
    @Test
    void refillsWithValuesWiderThanTheFirstPagesAllocateNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().getId();
        PagedBytes buffer = new PagedBytes(256);
        byte[] value = new byte[3000];
        Random random = new Random(5);
        for (int i = 0; i < 10; i++) {
            buffer.reset();
            widths(buffer, value, random);
        }
        long held = buffer.capacity();
        for (int i = 0; i < 5; i++) {
            buffer.reset();
            long a0 = threads.getThreadAllocatedBytes(self);
            widths(buffer, value, random);
            assertTrue(threads.getThreadAllocatedBytes(self) - a0 < 16 * 1024, "refill " + i + " allocated");
            assertTrue(buffer.capacity() <= held, "refill " + i + " holds " + buffer.capacity() + " bytes, not " + held);
        }
    }

    private static void widths(PagedBytes buffer, byte[] value, Random random) {
        for (int i = 0; i < 2000; i++) {
            buffer.string(value, 0, random.nextInt(value.length));
        }
    }

    private static void fill(PagedBytes buffer, byte[] value, int count) {
        for (int i = 0; i < count; i++) {
            buffer.string(value, 0, value.length);
        }
    }

    private static byte[] le(long v, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (v >>> (8 * i));
        }
        return b;
    }

    private static byte[] varint(int v) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while ((v & ~0x7F) != 0) {
            out.write((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.write(v);
        return out.toByteArray();
    }
}
