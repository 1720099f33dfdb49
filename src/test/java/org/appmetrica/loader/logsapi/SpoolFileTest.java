package org.appmetrica.loader.logsapi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpoolFileTest {

    @TempDir
    Path dir;

    /**
     * Lengths around the block and the buffer; pieces of odd sizes as a socket gives them, flushed at times for a reader
     * that caught up (the last block then rewritten); direct and not.
     */
    @Test
    void theFileHoldsExactlyTheBytesWrittenAndIsReadableBehindTheWriter() throws Exception {
        int[] lengths = {0, 1, 4095, 4096, 4097, SpoolFile.BUFFER - 1, SpoolFile.BUFFER, SpoolFile.BUFFER + 1, 3 * SpoolFile.BUFFER + 12345};
        for (boolean direct : new boolean[]{true, false}) {
            for (int length : lengths) {
                byte[] data = new byte[length];
                new Random(length).nextBytes(data);
                Path file = dir.resolve("part-" + direct + "-" + length);
                ByteArrayOutputStream readBehind = new ByteArrayOutputStream();
                try (SpoolFile out = SpoolFile.create(file, direct); SpoolFile.Reader in = SpoolFile.Reader.open(file)) {
                    Random pieces = new Random(7);
                    byte[] chunk = new byte[300_000];
                    long read = 0;
                    for (int off = 0; off < length; ) {
                        int n = Math.min(length - off, 1 + pieces.nextInt(70_000));
                        out.write(data, off, n);
                        off += n;
                        assertTrue(out.onDisk() <= off, "readable past what was written");
                        if (pieces.nextInt(3) == 0) { // a reader caught up and asks for what is buffered
                            out.flush();
                            assertEquals(off, out.onDisk());
                        }
                        read += drain(in, chunk, read, out.onDisk(), readBehind);
                    }
                    out.finish();
                    assertEquals(length, out.onDisk());
                    read += drain(in, chunk, read, out.onDisk(), readBehind);
                    assertEquals(length, read);
                }
                assertArrayEquals(data, Files.readAllBytes(file), direct + " " + length + ": the file");
                assertArrayEquals(data, readBehind.toByteArray(), direct + " " + length + ": read while written");
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            }
        }
    }

    /** Reads what is readable from {@code position}, in reads of varying sizes; returns how many bytes came. */
    private static long drain(SpoolFile.Reader in, byte[] chunk, long position, long available, ByteArrayOutputStream to) throws Exception {
        long start = position;
        int size = 1;
        while (position < available) {
            int n = in.read(chunk, 0, Math.min(chunk.length, size), position, available);
            assertTrue(n > 0 && position + n <= available, "a read past the readable bytes or none at all");
            to.write(chunk, 0, n);
            position += n;
            size = size * 7 % 262_139 + 1;
        }
        return position - start;
    }
}
