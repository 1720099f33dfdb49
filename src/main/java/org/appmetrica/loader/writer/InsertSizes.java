package org.appmetrica.loader.writer;

/**
 * Where the writer ends an INSERT: before it would pass {@code maxRows} rows or {@code maxBytes} of Native blocks, and,
 * near the export's end, once the rows left (the next chunk's included) are no more than the open INSERT holds. So the
 * INSERTs halve toward the end, down to a floor: the next INSERT gets at least one chunk and 1/16 of an INSERT's bound
 * (rows or bytes), so small slices stay one INSERT. Why: the server writes an INSERT's part only once the INSERT ended;
 * every part but the last is written while the loader reads and maps the rows after it, and the last one, written
 * alone after the slice's last byte while the loader waits, is now small.
 */
record InsertSizes(long maxRows, long maxBytes) {

    /** {@code -Dappmetrica.insert.wholeTail=true} only to compare: INSERTs end at their bounds alone, as before. */
    static final boolean SMALL_TAIL = !Boolean.getBoolean("appmetrica.insert.wholeTail");

    /** The smallest share of an INSERT's bound worth an INSERT of its own at the tail. */
    static final int FLOOR_SHARE = 16;

    /**
     * Whether the open INSERT ({@code openRows}, {@code openBytes}) ends before the next chunk, given about how many
     * rows of the export follow that chunk ({@code rowsLeftAfter}; negative while unknown).
     */
    boolean endsBefore(long openRows, long openBytes, long chunkRows, long chunkBytes, long rowsLeftAfter) {
        if (openRows + chunkRows > maxRows || openBytes + chunkBytes > maxBytes) {
            return true;
        }
        if (!SMALL_TAIL || rowsLeftAfter < 0 || openRows <= 0) {
            return false;
        }
        long left = rowsLeftAfter + chunkRows;
        double leftBytes = (double) left * openBytes / openRows;
        boolean worthAnInsert = (double) left * FLOOR_SHARE >= maxRows || leftBytes * FLOOR_SHARE >= maxBytes;
        return left <= openRows && worthAnInsert;
    }

    /**
     * Whether the oldest INSERT's answer must be awaited before the next INSERT starts: the server holds each INSERT's
     * block until it wrote the part, so the INSERTs awaited ({@code awaitedBytes}) and the next one, at its most, stay
     * within two INSERTs' bound. At the bounds that is one INSERT ending beside the open one, as before; at the tail the
     * next INSERT's most is the rows left ({@code rowsLeft}, from the next chunk on, at the bytes per row of the INSERT
     * that ended: {@code endedRows}, {@code endedBytes}), so the small INSERTs there do not wait for the larger parts
     * before them.
     */
    boolean awaitBeforeNext(long awaitedBytes, long endedRows, long endedBytes, long rowsLeft) {
        long next = maxBytes;
        if (SMALL_TAIL && rowsLeft >= 0 && endedRows > 0) {
            next = (long) Math.min(maxBytes, (double) rowsLeft * endedBytes / endedRows);
        }
        return awaitedBytes + next > 2 * maxBytes;
    }
}
