package org.appmetrica.loader.reader;

import org.appmetrica.loader.logsapi.CountingInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The rows of a spooled export, part after part. A part that does not parse makes the spool unusable: it is discarded
 * and {@link CorruptExportException} thrown, so the chunk retry or a restart downloads the export again.
 */
final class SpooledRows implements AutoCloseable {

    /** One part's bytes: a spooled file, or a download still arriving. */
    interface Part {
        String name();

        InputStream open() throws IOException;
    }

    private final List<Part> files;
    private final String format;
    private final List<String> fields;
    /** Names the slice in messages. */
    private final String name;
    private final Runnable discard;
    /** maxExportBytes: what a compressed part may decompress to, too (a small gzip can expand without end). */
    private final long maxBytes;
    private int fileIndex;
    private RowSource rows;
    /**
     * Bytes taken from the parts' files as stored (gzip when compressed), all parts so far: where the reading is. Volatile:
     * with parse-ahead the parse thread counts and the chunk thread estimates the rows left from it.
     */
    private volatile long bytesRead;

    /** The rows of spooled files. */
    static SpooledRows of(List<Path> files, String format, List<String> fields, String name, Runnable discard, long maxBytes)
            throws IOException {
        return new SpooledRows(files.stream().map(SpooledRows::file).toList(), format, fields, name, discard, maxBytes);
    }

    /** The rows of one part as it arrives. */
    static SpooledRows of(Part live, String format, List<String> fields, String name, Runnable discard, long maxBytes)
            throws IOException {
        return new SpooledRows(List.of(live), format, fields, name, discard, maxBytes);
    }

    private static Part file(Path path) {
        return part(path.getFileName().toString(), () -> Files.newInputStream(path));
    }

    /** What opens a part's bytes. */
    interface Opener {
        InputStream open() throws IOException;
    }

    static Part part(String name, Opener opener) {
        return new Part() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public InputStream open() throws IOException {
                return opener.open();
            }
        };
    }

    private SpooledRows(List<Part> files, String format, List<String> fields, String name, Runnable discard, long maxBytes)
            throws IOException {
        this.maxBytes = maxBytes;
        this.files = List.copyOf(files);
        this.format = format;
        this.fields = fields;
        this.name = name;
        this.discard = discard;
        this.rows = open(0);
    }

    private RowSource open(int index) throws IOException {
        Part part = files.get(index);
        String fileName = name + " " + part.name();
        InputStream opened = part.open();
        InputStream raw = new CountingInputStream(Long.MAX_VALUE) {
            @Override
            protected int readSome(byte[] b, int off, int len) throws IOException {
                int n = opened.read(b, off, len);
                if (n > 0) {
                    bytesRead += n;
                }
                return n;
            }

            @Override
            public void close() throws IOException {
                opened.close();
            }
        };
        InputStream in = raw;
        try {
            in = Decompressed.of(raw, maxBytes, fileName);
            return format.equals("json") ? new JsonRowSource(in, fields, fileName) : new CsvRowSource(in, fields, fileName);
        } catch (IOException e) {
            in.close();
            throw corrupt(e);
        }
    }

    private CorruptExportException corrupt(IOException e) {
        discard.run();
        return new CorruptExportException(e.getMessage() + " (the downloaded file was removed; it is downloaded again on retry)", e);
    }

    /** The next row's values, or null after the last row of the last part. */
    Cells next() throws IOException {
        while (true) {
            Cells values;
            try {
                values = rows.next();
            } catch (CorruptExportException e) {
                throw e;
            } catch (IOException e) {
                throw corrupt(e);
            }
            if (values != null) {
                return values;
            }
            if (fileIndex + 1 >= files.size()) {
                return null;
            }
            rows.close();
            rows = open(++fileIndex);
        }
    }

    /**
     * About how many rows follow the ones read, from the bytes of the export ({@code totalBytes}, as stored) not read yet,
     * at the rows' average size so far; -1 when nothing was read. Low by what the streams buffer ahead (a few 64 KB).
     */
    long rowsLeft(long rowsRead, long totalBytes) {
        if (bytesRead <= 0 || rowsRead <= 0) {
            return -1;
        }
        return (long) ((double) rowsRead * Math.max(0, totalBytes - bytesRead) / bytesRead);
    }

    /** Skips {@code count} rows; false if the export ended first. */
    boolean skip(long count) throws IOException {
        for (long i = 0; i < count; i++) {
            if (next() == null) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        rows.close();
    }
}
