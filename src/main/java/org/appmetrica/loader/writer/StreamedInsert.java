package org.appmetrica.loader.writer;

import org.appmetrica.loader.clickhouse.SliceTables;
import org.appmetrica.loader.config.Timeline;
import org.appmetrica.loader.processor.MappedRows;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * One INSERT whose body (HTTP, chunked) is the bytes of many chunks, handed to it one by one by the writer's thread and
 * written to the socket by a thread of its own. The INSERT ends when the writer {@link #finish finishes} it, or by
 * itself when no chunk came for {@link #IDLE_MILLIS}: a server stops reading a body that pauses longer than its receive
 * timeout (30 s on current releases), and a slow download or a long GC pause must not fail the INSERT.
 * <p>Chunks are released only on the writer's thread ({@link #takeWritten}), as the processor refills them there.
 */
final class StreamedInsert {

    static final long IDLE_MILLIS = 10_000;

    /** Handed, not yet written to the body: the oldest is being written. */
    private final ArrayDeque<MappedRows> unsent = new ArrayDeque<>();
    /** Written, not yet released. */
    private final List<MappedRows> written = new ArrayList<>();
    private long rows;
    private long bytes;
    /** No more chunks: set by {@link #finish} or by the idle end. */
    private boolean last;
    /** The INSERT returned, ended or failed. */
    private boolean done;
    private final Future<?> future;

    /** Starts the INSERT with its first chunk. */
    StreamedInsert(ExecutorService inserter, SliceTables tables, MappedRows first) {
        unsent.add(first);
        rows = first.rows();
        bytes = first.bytes();
        this.future = inserter.submit(() -> {
            try {
                tables.insert(this::stream);
            } finally {
                synchronized (this) {
                    done = true;
                    last = true;
                    notifyAll();
                }
            }
            return null;
        });
    }

    private void stream(OutputStream out) throws IOException {
        for (MappedRows next = next(); next != null; next = next()) {
            next.writeTo(out);
            synchronized (this) {
                written.add(unsent.poll());
                notifyAll();
            }
        }
        Timeline.mark("INSERT body sent: " + rows() + " rows"); // the server's part is written from here to its answer
    }

    /** The oldest chunk not yet written, or null once the INSERT is to end. */
    private synchronized MappedRows next() throws InterruptedIOException {
        long deadline = System.nanoTime() + IDLE_MILLIS * 1_000_000;
        while (unsent.isEmpty() && !last) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                last = true; // idle: end here, the writer starts another INSERT for its next chunk
                break;
            }
            try {
                wait(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("the INSERT was interrupted");
            }
        }
        return unsent.peek();
    }

    /** Adds a chunk to the body; false when the INSERT takes no more (ended, failed, or idle too long). */
    synchronized boolean hand(MappedRows chunk) {
        if (last) {
            return false;
        }
        unsent.add(chunk);
        rows += chunk.rows();
        bytes += chunk.bytes();
        notifyAll();
        return true;
    }

    /** Waits until fewer than {@code max} handed chunks are still to be written, or the INSERT returned. */
    synchronized void awaitUnsentBelow(int max) throws InterruptedException {
        while (unsent.size() >= max && !done) {
            wait();
        }
    }

    /** The chunks written to the body since the last call: their buffers may be refilled. */
    synchronized List<MappedRows> takeWritten() {
        List<MappedRows> taken = new ArrayList<>(written);
        written.clear();
        return taken;
    }

    /** Takes no more chunks: the INSERT ends once the ones handed are written. Returns at once. */
    synchronized void finish() {
        last = true;
        notifyAll();
    }

    synchronized boolean done() {
        return done;
    }

    synchronized long rows() {
        return rows;
    }

    synchronized long bytes() {
        return bytes;
    }

    /**
     * Finishes the INSERT and waits for its answer; then every chunk handed to it is released, whatever the outcome
     * (after a failure the rows are read again from the spool). Throws the INSERT's failure.
     */
    long end() throws Exception {
        finish();
        try {
            future.get();
            return rows();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } finally {
            synchronized (this) {
                written.addAll(unsent);
                unsent.clear();
            }
            takeWritten().forEach(MappedRows::release);
        }
    }
}
