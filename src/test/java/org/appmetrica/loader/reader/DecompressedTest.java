package org.appmetrica.loader.reader;

import org.appmetrica.loader.logsapi.ExportTooLargeException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DecompressedTest {

    private static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(plain);
        }
        return out.toByteArray();
    }

    /** A part still arriving: a read returns a few bytes at a time, and nothing is ever "available" without a read. */
    private static InputStream arriving(byte[] bytes) {
        return new FilterInputStream(new ByteArrayInputStream(bytes)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 7));
            }

            @Override
            public int available() {
                return 0;
            }
        };
    }

    @Test
    void plainBytesPassAsTheyAre() throws IOException {
        byte[] csv = "event_name\nx\n".getBytes(StandardCharsets.UTF_8);
        assertEquals("event_name\nx\n", new String(Decompressed.of(arriving(csv), 100, "p").readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void everyGzipMemberOfAnArrivingPartIsRead() throws IOException {
        ByteArrayOutputStream twoMembers = new ByteArrayOutputStream();
        twoMembers.write(gzip("event_name\nfirst\n".getBytes(StandardCharsets.UTF_8)));
        twoMembers.write(gzip("second\n".getBytes(StandardCharsets.UTF_8)));
        String text = new String(Decompressed.of(arriving(twoMembers.toByteArray()), 1000, "p").readAllBytes(), StandardCharsets.UTF_8);
        assertEquals("event_name\nfirst\nsecond\n", text);
    }

    @Test
    void aPartThatDecompressesBeyondMaxExportBytesFails() throws IOException {
        byte[] bomb = gzip(new byte[10 << 20]);
        InputStream in = Decompressed.of(arriving(bomb), 1 << 20, "part-0-of-1.csv");
        ExportTooLargeException e = assertThrows(ExportTooLargeException.class, () -> in.transferTo(OutputStreamHolder.NULL));
        assertEquals(true, e.getMessage().contains("maxExportBytes=1048576"), e.getMessage());
    }

    private static final class OutputStreamHolder {
        static final java.io.OutputStream NULL = java.io.OutputStream.nullOutputStream();
    }
}
