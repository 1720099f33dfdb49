package org.appmetrica.loader.logsapi;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The one counting stream: single bytes through the bulk read, and a limit seen on the first byte past it. */
class CountingInputStreamTest {

    /** Over {@code bytes}, failing past {@code limit}; the bulk reads it was asked for are recorded in {@code asked}. */
    private static CountingInputStream over(byte[] bytes, long limit, StringBuilder asked) {
        InputStream in = new ByteArrayInputStream(bytes);
        return new CountingInputStream(limit) {
            @Override
            protected int readSome(byte[] b, int off, int len) throws IOException {
                asked.append(len).append(' ');
                return in.read(b, off, len);
            }

            @Override
            protected RuntimeException overLimit(long max) {
                return new ExportTooLargeException("past " + max + " after " + count());
            }
        };
    }

    @Test
    void singleBytesAreUnsignedAndEndWithMinusOne() throws IOException {
        CountingInputStream in = over(new byte[] {(byte) 0xFF, 7}, CountingInputStream.UNLIMITED, new StringBuilder());
        assertEquals(0xFF, in.read());
        assertEquals(7, in.read());
        assertEquals(-1, in.read());
        assertEquals(2, in.count());
    }

    @Test
    void exactlyTheLimitPassesOneMoreByteFails() throws IOException {
        StringBuilder asked = new StringBuilder();
        CountingInputStream in = over(new byte[10], 10, asked);
        assertArrayEquals(new byte[10], in.readNBytes(10));
        assertEquals(0, in.read(new byte[4], 0, 0), "an empty read reads nothing");
        assertEquals(10, in.count());
        over(new byte[10], 10, new StringBuilder()).readAllBytes(); // the end right at the limit is fine

        CountingInputStream longer = over(new byte[11], 10, asked);
        byte[] b = new byte[64];
        assertEquals(10, longer.read(b, 0, 8) + longer.read(b, 0, 2));
        ExportTooLargeException e = assertThrows(ExportTooLargeException.class, () -> longer.read(b, 0, 64));
        assertEquals("past 10 after 11", e.getMessage());
        assertEquals("8 2 1 ", asked.substring(asked.indexOf("8 ")), "at the limit it asks for one byte, not 64");
    }
}
