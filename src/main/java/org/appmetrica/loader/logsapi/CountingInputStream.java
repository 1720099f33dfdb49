package org.appmetrica.loader.logsapi;

import java.io.IOException;
import java.io.InputStream;

/**
 * A stream defined by its bulk read alone: counts the bytes that came out and, given a limit, fails once more than
 * that came. A subclass implements {@link #readSome}; the single-byte {@code read()} goes through it.
 */
public abstract class CountingInputStream extends InputStream {

    /** No limit. */
    protected static final long UNLIMITED = Long.MAX_VALUE;

    private final long limit;
    private long count;

    protected CountingInputStream(long limit) {
        this.limit = limit;
    }

    /** Reads 1 to {@code len} bytes (len is at least 1), or returns -1 at the end. */
    protected abstract int readSome(byte[] b, int off, int len) throws IOException;

    /** What to throw once more than the limit came out (after {@link #count()} counted it). */
    protected RuntimeException overLimit(long limit) throws IOException {
        return new IllegalStateException("more than " + limit + " bytes");
    }

    /** Bytes read so far. */
    protected final long count() {
        return count;
    }

    @Override
    public final int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public final int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        long room = limit - count; // one byte past the limit is enough to know it was passed
        int n = readSome(b, off, room >= len ? len : (int) room + 1);
        if (n > 0) {
            count += n;
            if (count > limit) {
                throw overLimit(limit);
            }
        }
        return n;
    }
}
