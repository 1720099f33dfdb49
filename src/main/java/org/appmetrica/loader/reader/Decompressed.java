package org.appmetrica.loader.reader;

import org.appmetrica.loader.logsapi.CountingInputStream;
import org.appmetrica.loader.logsapi.ExportTooLargeException;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * A spooled part's rows as text: the spool keeps the bytes as received, gzip when the API compressed them. Told apart
 * by gzip's magic bytes, which no CSV or JSON export starts with (0x1F is a control character, 0x8B no UTF-8 lead byte),
 * so a spool from before compression, or an answer the API did not compress, reads as it is.
 */
final class Decompressed {

    private static final int BUFFER = 1 << 16;

    private Decompressed() {
    }

    /** {@code raw} as text; a gzip part that decompresses to more than {@code maxBytes} fails naming maxExportBytes. */
    static InputStream of(InputStream raw, long maxBytes, String name) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, BUFFER);
        in.mark(2);
        int first = in.read();
        int second = in.read();
        in.reset();
        if (first != 0x1F || second != 0x8B) {
            return in;
        }
        try {
            return new Limited(new GZIPInputStream(new WaitingAvailable(in), BUFFER), maxBytes, name);
        } catch (IOException e) {
            throw new IOException("the export is not valid gzip: " + e.getMessage(), e);
        }
    }

    /** Fails once more than {@code max} bytes came out. */
    private static final class Limited extends CountingInputStream {
        private final InputStream in;
        private final String name;

        Limited(InputStream in, long max, String name) {
            super(max);
            this.in = in;
            this.name = name;
        }

        @Override
        protected int readSome(byte[] b, int off, int len) throws IOException {
            return in.read(b, off, len);
        }

        @Override
        protected RuntimeException overLimit(long max) {
            return new ExportTooLargeException(name + " decompresses to more than maxExportBytes=" + max
                    + " bytes; raise maxExportBytes if the export is genuine");
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /**
     * GZIPInputStream looks for a further gzip member only if {@code available()} says bytes follow; a part still
     * arriving has none yet at times. So this waits for the next byte or the end: a member that ends never ends the part
     * early.
     */
    private static final class WaitingAvailable extends FilterInputStream {

        WaitingAvailable(BufferedInputStream in) {
            super(in);
        }

        @Override
        public int available() throws IOException {
            int n = in.available();
            if (n > 0) {
                return n;
            }
            in.mark(1);
            if (in.read() < 0) {
                return 0;
            }
            in.reset();
            return 1;
        }
    }
}
