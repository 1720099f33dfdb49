package org.appmetrica.loader.model;

import jakarta.batch.runtime.context.StepContext;

/**
 * State shared by the reader, writer and chunk listener of one partition (one slice), kept in the partition's
 * transient user data. Confined to the partition's thread.
 */
public final class SliceContext {

    private final Slice slice;
    private final long startedMillis = System.currentTimeMillis();
    private boolean readerExhausted;
    private long bytes;
    private long rowsStaged;
    /** Set once an export read while it downloaded broke off: the retries fetch it whole first (with their own retries). */
    private boolean liveDownloadFailed;
    /** Bytes (of the Native blocks) and rows the processor produced so far: the chunk's budget counts them. */
    private long mappedBytes;
    private long mappedRows;
    /** Rows the current chunk may still take (set by the chunk's budget): the reader's blocks end there. */
    private long chunkRowsLeft = Long.MAX_VALUE;
    /** About how many rows of the export follow the ones read (set by the reader); -1 while unknown. */
    private long exportRowsLeft = -1;
    private long firstByteAt;
    private Runnable publisher = () -> { };
    private boolean published;
    private SliceHandOff handOff;

    private SliceContext(Slice slice) {
        this.slice = slice;
    }

    /** The partition's context, created on first use. */
    public static SliceContext of(StepContext stepContext, Slice slice) {
        Object existing = stepContext.getTransientUserData();
        if (existing instanceof SliceContext context && context.slice.equals(slice)) {
            return context;
        }
        SliceContext context = new SliceContext(slice);
        stepContext.setTransientUserData(context);
        return context;
    }

    public Slice slice() {
        return slice;
    }

    public long startedMillis() {
        return startedMillis;
    }

    public boolean readerExhausted() {
        return readerExhausted;
    }

    public void readerExhausted(boolean exhausted) {
        this.readerExhausted = exhausted;
    }

    public long bytes() {
        return bytes;
    }

    public void bytes(long downloaded) {
        this.bytes = downloaded;
    }

    public long firstByteAt() {
        return firstByteAt;
    }

    public void firstByteAt(long epochMillis) {
        this.firstByteAt = epochMillis;
    }

    public boolean liveDownloadFailed() {
        return liveDownloadFailed;
    }

    public void liveDownloadFailed(boolean failed) {
        this.liveDownloadFailed = failed;
    }

    public long mappedBytes() {
        return mappedBytes;
    }

    public long mappedRows() {
        return mappedRows;
    }

    public void addMapped(long rows, long bytes) {
        mappedRows += rows;
        mappedBytes += bytes;
    }

    public long chunkRowsLeft() {
        return chunkRowsLeft;
    }

    public void chunkRowsLeft(long rows) {
        this.chunkRowsLeft = rows;
    }

    public long exportRowsLeft() {
        return exportRowsLeft;
    }

    public void exportRowsLeft(long rows) {
        this.exportRowsLeft = rows;
    }

    public long rowsStaged() {
        return rowsStaged;
    }

    public void rowsStaged(long rows) {
        this.rowsStaged = rows;
    }

    public boolean published() {
        return published;
    }

    /** Set by the reader's open, cleared when it starts again. */
    public void handOff(SliceHandOff handOff) {
        this.handOff = handOff;
    }

    /** What the reader's open handed on; fails when the reader did not open first. */
    public SliceHandOff handOff() {
        if (handOff == null) {
            throw new IllegalStateException(slice + ": the writer opened before the reader's open succeeded");
        }
        return handOff;
    }

    /** Set by the writer: what publishing the slice means. */
    public void publisher(Runnable publisher) {
        this.publisher = publisher;
    }

    /**
     * Set by the reader when the partition's saved report says the slice was published (its checkpoint committed after
     * the swap) but the runtime had not yet saved the partition as COMPLETED: nothing is read or published again.
     */
    public void alreadyPublished() {
        this.readerExhausted = true;
        this.published = true;
    }

    /** Publishes once the reader has seen the end of the export; called after every chunk. */
    public boolean publishIfExhausted() {
        if (readerExhausted && !published) {
            publisher.run();
            published = true;
            return true;
        }
        return false;
    }
}
