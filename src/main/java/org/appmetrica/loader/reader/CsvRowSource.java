package org.appmetrica.loader.reader;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;

/**
 * CSV export rows, tokenized from the bytes (RFC 4180: values with commas, quotes and line breaks inside quotes;
 * {@code ""} is a quote; CRLF or LF ends a row; an optional byte order mark). Values stay UTF-8 bytes, checked to be
 * well-formed. Checks the header against the requested fields and every row's cell count, so a malformed or
 * truncated file fails instead of loading shifted values.
 * <p>Hand-written rather than Jackson's CSV parser because decoding every value to a {@code String} and encoding it
 * again was two thirds of the load's CPU (docs/performance.md); {@code RowSourceCorpusTest} holds both to the same rows.
 */
public final class CsvRowSource implements RowSource {

    private static final int BUFFER = 1 << 16;
    /** Bytes that end an unquoted value. */
    private static final boolean[] STOPS = new boolean[256];

    static {
        STOPS[','] = true;
        STOPS['\n'] = true;
        STOPS['\r'] = true;
    }

    private final InputStream in;
    private final byte[] buffer = new byte[BUFFER];
    private int position;
    private int limit;
    private boolean ended;
    private final RowBuffer row = new RowBuffer();
    private final int width;
    private final String file;
    /** Rows read so far, the header included: names rows in messages. */
    private long line;

    public CsvRowSource(InputStream in, List<String> fields, String file) throws IOException {
        this.in = in;
        this.file = file;
        this.width = fields.size();
        if (available() && buffer[position] == (byte) 0xEF) { // optional byte order mark
            if (limit - position < 3) {
                fill(3);
            }
            if (limit - position >= 3 && buffer[position + 1] == (byte) 0xBB && buffer[position + 2] == (byte) 0xBF) {
                position += 3;
            }
        }
        Cells header = record();
        if (header == null) {
            throw new IOException(file + ": empty file, expected a CSV header");
        }
        if (!Arrays.asList(header.strings()).equals(fields)) {
            throw new IOException(file + ": the CSV header " + Arrays.toString(header.strings())
                    + " does not list the requested fields " + fields);
        }
    }

    @Override
    public Cells next() throws IOException {
        while (true) {
            Cells cells = record();
            if (cells == null) {
                return null;
            }
            if (cells.width() == width) {
                return cells;
            }
            if (cells.width() == 1 && cells.isEmpty(0)) {
                continue; // an empty line (a file with no rows ends with one)
            }
            throw new IOException(file + ": row " + (line - 1) + " has " + cells.width() + " values, expected " + width
                    + " (malformed or truncated file)");
        }
    }

    /** One record, or null at the end of the file. */
    private Cells record() throws IOException {
        if (!available()) {
            return null;
        }
        row.reset();
        try {
            while (cell()) {
                // one value per pass; false once the row ended
            }
        } catch (RowTooLargeException e) {
            throw new RowTooLargeException(file + ": row " + line + ": " + e.getMessage() + "; the export is refused");
        }
        line++;
        if (!row.isValidUtf8()) {
            throw new IOException(file + ": row " + (line - 1) + " is not valid UTF-8");
        }
        return row.view();
    }

    /** Reads one value into the row; true if a comma followed it (more values), false at the end of the row. */
    private boolean cell() throws IOException {
        if (available() && buffer[position] == '"') {
            position++;
            quoted();
        } else {
            unquoted();
        }
        row.endCell();
        if (!available()) {
            return false;
        }
        byte b = buffer[position++];
        if (b == ',') {
            return true;
        }
        if (b == '\r' && available() && buffer[position] == '\n') {
            position++;
        } else if (b != '\n' && b != '\r') {
            throw new IOException(file + ": row " + line + ": unexpected character '" + (char) b + "' after a closing quote");
        }
        return false;
    }

    private void unquoted() throws IOException {
        while (available()) {
            int from = position;
            int i = from;
            int end = limit;
            byte[] b = buffer;
            while (i < end && !STOPS[b[i] & 0xFF]) {
                i++;
            }
            row.append(b, from, i);
            position = i;
            if (i < end) {
                return;
            }
        }
    }

    private void quoted() throws IOException {
        while (true) {
            if (!available()) {
                throw new IOException(file + ": the file ends inside row " + line + " (truncated)");
            }
            int from = position;
            int i = from;
            int end = limit;
            byte[] b = buffer;
            while (i < end && b[i] != '"') {
                i++;
            }
            row.append(b, from, i);
            position = i;
            if (i == end) {
                continue;
            }
            position++; // the quote
            if (available() && buffer[position] == '"') {
                row.append((byte) '"');
                position++;
            } else {
                return;
            }
        }
    }

    /** Whether a byte is there to read, reading more of the file if needed. */
    private boolean available() throws IOException {
        return position < limit || fill(1);
    }

    /** Reads until at least {@code count} unread bytes are buffered or the file ends; false if none is. */
    private boolean fill(int count) throws IOException {
        if (position > 0) {
            System.arraycopy(buffer, position, buffer, 0, limit - position);
            limit -= position;
            position = 0;
        }
        while (limit < count && !ended) {
            int n = in.read(buffer, limit, buffer.length - limit);
            if (n < 0) {
                ended = true;
            } else {
                limit += n;
            }
        }
        return limit > position;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
