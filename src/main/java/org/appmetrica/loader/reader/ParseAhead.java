package org.appmetrica.loader.reader;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;

/**
 * The rows of a slice in blocks, parsed on a thread of its own ahead of the chunk thread, which then only maps them:
 * parsing and mapping each take about half of a row's CPU (docs/performance.md). Blocks of up to
 * {@link LogsApiItemReader#BLOCK_ROWS} rows or {@link LogsApiItemReader#BLOCK_BYTES} bytes are handed over in order
 * through a ring of {@link #RING} reused blocks; the chunk thread takes them in parts of at most the rows its chunk
 * may still take, so items, positions and checkpoints are what they are without it.
 * <p>What the parse thread meets (a corrupt body, invalid UTF-8, a row too large, a download that failed) is thrown
 * by {@link #take} as the same exception, after the rows before it were handed out. {@link #close} ends and joins
 * the thread. Off by default (then the chunk thread parses as it takes, no thread): on 2 busy cores shared with
 * ClickHouse it measured no faster (docs/performance.md); {@code -Dappmetrica.parseAhead=true} turns it on.
 */
final class ParseAhead implements AutoCloseable {

    /** Whether a slice's rows are parsed ahead; read when a reader starts reading. */
    static boolean on() {
        return Boolean.getBoolean("appmetrica.parseAhead");
    }

    /** Blocks in all: the chunk thread's, the one being parsed, the rest parsed and waiting. */
    static final int RING = 6;
    /** The parse thread waits while this many bytes of parsed rows wait (wide rows: fewer blocks). */
    static final long AHEAD_BYTES = 4L * LogsApiItemReader.BLOCK_BYTES;
    /** A block grown past this by a wide row gets a small buffer again when it is reused. */
    private static final int KEEP_BYTES = 2 * LogsApiItemReader.BLOCK_BYTES;

    private final SpooledRows rows;
    private final Thread thread;
    /** Parsed blocks, in order; then {@link #end} or {@link #failure}. Guarded by this. */
    private final ArrayDeque<RowBlock> ready = new ArrayDeque<>();
    private final ArrayDeque<RowBlock> free = new ArrayDeque<>();
    private long readyBytes;
    private boolean end;
    /** The parse thread's block being filled; null between blocks. */
    private RowBlock filling;
    private Throwable failure;
    private volatile boolean closing;
    /** The chunk thread's block and the rows of it handed out. */
    private RowBlock current;
    private int handedOut;
    private boolean ended;
    private long position;

    /**
     * Started by {@link #start}, so that the caller can publish this object first: the parse thread's {@link #handOver}
     * is reached through the caller's reference (a download's wait hook).
     *
     * @param threadName null: no thread, the caller parses in {@link #take}
     */
    ParseAhead(SpooledRows rows, long position, String threadName) {
        this.rows = rows;
        this.position = position;
        if (threadName == null) {
            current = new RowBlock();
            thread = null;
            return;
        }
        for (int i = 0; i < RING; i++) {
            free.add(new RowBlock());
        }
        thread = new Thread(this::parse, threadName);
        thread.setDaemon(true); // joined by close; daemon only so that a runtime that never closes cannot hold the JVM
    }

    /** Starts the parse thread, if any; what the caller wrote before is visible to it (Thread.start). */
    ParseAhead start() {
        if (thread != null) {
            thread.start();
        }
        return this;
    }

    /**
     * The next rows, at most {@code max}, as a block valid until the next call; null once the export ended. Throws what
     * the parser met, once the rows before it were handed out.
     */
    RowBlock take(int max) throws IOException {
        ended = false;
        if (thread == null) {
            current.reset(position);
            ended = fill(current, max);
            position += current.rows();
            return current.rows() == 0 ? null : current;
        }
        if (current != null && handedOut == current.held()) {
            recycle(current);
            current = null;
        }
        if (current == null && !next()) {
            return null;
        }
        int from = handedOut;
        handedOut = Math.min(current.held(), from + max);
        current.show(from, handedOut);
        // as without the thread, where the rows of a block that the chunk's bound did not cut are followed by the end or
        // by a row read: whether more follow is known here too (the parse thread is ahead, so this rarely waits)
        ended = handedOut - from < max && nothingFollows();
        return current;
    }

    /** Whether the export ended with the rows of the last {@link #take}, as a reader parsing them itself would know. */
    boolean ended() {
        return ended;
    }

    /** Whether the export ended after the rows parsed so far (it waits until the parse thread knows). */
    private synchronized boolean nothingFollows() throws IOException {
        awaitParsed();
        return ready.isEmpty() && end;
    }

    /** Until a block was parsed, or the end or a failure came. */
    private void awaitParsed() throws IOException {
        try {
            while (ready.isEmpty() && !end && failure == null) {
                wait();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the rows parsed ahead");
        }
    }

    /** Waits for the next parsed block; false at the end. */
    private boolean next() throws IOException {
        synchronized (this) {
            awaitParsed();
            current = ready.poll();
            if (current != null) {
                readyBytes -= current.bytes();
                handedOut = 0;
                notifyAll();
                return true;
            }
        }
        if (failure instanceof IOException e) {
            throw e;
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        return false;
    }

    /** Bytes of rows parsed and waiting to be taken. */
    synchronized long bytesAhead() {
        return readyBytes;
    }

    private synchronized void recycle(RowBlock block) {
        block.shrink(KEEP_BYTES);
        free.add(block);
        notifyAll();
    }

    /** The parse thread: blocks into {@link #ready} until the end, a failure or {@link #close}. */
    private void parse() {
        long at = position;
        boolean last = false;
        Throwable error = null;
        try {
            while (!closing) {
                Cells values = rows.next(); // may hand over the rows parsed so far (handOver), when it waits for bytes
                if (values == null) {
                    last = true;
                    break;
                }
                if (filling == null && !nextFree(at)) {
                    return;
                }
                filling.add(values);
                at++;
                if (filling.rows() >= LogsApiItemReader.BLOCK_ROWS || filling.bytes() >= LogsApiItemReader.BLOCK_BYTES) {
                    handOver();
                }
            }
        } catch (Throwable t) {
            error = t;
        }
        synchronized (this) {
            if (filling != null && filling.rows() > 0) {
                ready.add(filling);
                readyBytes += filling.bytes();
            }
            filling = null;
            end = last;
            failure = error;
            notifyAll();
        }
    }

    /** Takes a free block for the rows from {@code at} on, waiting while enough is parsed ahead; false on close. */
    private boolean nextFree(long at) {
        synchronized (this) {
            try {
                while (!closing && (free.isEmpty() || readyBytes >= AHEAD_BYTES)) {
                    wait();
                }
            } catch (InterruptedException e) {
                return false;
            }
            if (closing) {
                return false;
            }
            filling = free.poll();
        }
        filling.reset(at);
        return true;
    }

    /**
     * Hands the rows parsed so far to the chunk thread: a full block, or any rows once the parse thread is about to wait
     * for a download's bytes (the chunk thread may need no more than those). A no-op on other threads.
     */
    void handOver() {
        if (Thread.currentThread() != thread || filling == null || filling.rows() == 0) {
            return;
        }
        synchronized (this) {
            ready.add(filling);
            readyBytes += filling.bytes();
            filling = null;
            notifyAll();
        }
    }

    /** Without the thread: parses rows into the block up to {@code max} rows or {@code BLOCK_BYTES}; true if the export ended there. */
    private boolean fill(RowBlock block, int max) throws IOException {
        while (block.rows() < max && block.bytes() < LogsApiItemReader.BLOCK_BYTES) {
            Cells values = rows.next();
            if (values == null) {
                return true;
            }
            block.add(values);
        }
        return false;
    }

    /** Ends the parse thread (it stops at its next row; one waiting for a download's bytes, at their arrival) and closes the rows. */
    @Override
    public void close() throws IOException {
        closing = true;
        if (thread != null) {
            synchronized (this) {
                notifyAll();
            }
            boolean interrupted = false;
            while (thread.isAlive()) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        rows.close();
    }
}
