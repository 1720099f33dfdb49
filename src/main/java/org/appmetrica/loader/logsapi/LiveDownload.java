package org.appmetrica.loader.logsapi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * A one-part export being spooled by a thread of its own, read while it arrives: {@link #open()} gives the bytes the
 * download has written so far, waits for more at the end of them (on an explicit signal, no polling), and ends only
 * once the download has finished and checked its length, with its SHA-256 known. A download that breaks off fails the
 * stream; nothing is read twice, and the caller reads the export again from its first row.
 */
public final class LiveDownload {

    /** What the consumer learns when the stream ends: the spooled file and when its first byte arrived. */
    public record Finished(ExportRequest request, Download download, long firstByteAt, long millis) {
    }

    private final ExportRequest request;
    private final Path target;
    private SpoolFile.Reader channel;
    private boolean opened;
    private long written;
    /** The file being written, whose buffered bytes a reader that caught up puts in the file; null once finished. */
    private SpoolFile spool;
    /** Counts {@link #wrote} calls: a reader waits only if none came since it looked at the spool. */
    private long writes;
    private volatile Finished finished;
    private Throwable failure;
    private volatile boolean cancelled;
    private Thread thread;

    LiveDownload(ExportRequest request, Path target) {
        this.request = request;
        this.target = target;
    }

    public Path target() {
        return target;
    }

    void thread(Thread thread) {
        this.thread = thread;
    }

    // --- the download's side

    /** The body starts arriving in {@code file}; opened here so that the later rename does not matter. */
    synchronized void started(Path file, SpoolFile spool) throws IOException {
        if (channel != null) { // a second attempt would rewrite what was read: the downloader must not retry (see ExportDownloader)
            throw new IllegalStateException("a live download started twice");
        }
        channel = SpoolFile.Reader.open(file);
        this.spool = spool;
        notifyAll();
    }

    synchronized void wrote(long totalBytes) {
        written = Math.max(written, totalBytes);
        writes++;
        notifyAll();
    }

    synchronized void finish(Download download, long firstByteAt, long millis) {
        finished = new Finished(request, download, firstByteAt, millis);
        written = download.bytes();
        spool = null;
        notifyAll();
    }

    synchronized void fail(Throwable e) {
        if (finished == null) {
            failure = e;
        }
        notifyAll();
    }

    boolean cancelled() {
        return cancelled;
    }

    // --- the consumer's side

    /**
     * Waits until the body is arriving, or the download ended; rethrows what ended it (stop, API refusal, time-out, more
     * parts wanted).
     */
    public synchronized void awaitStart() throws InterruptedException, IOException {
        while (channel == null && finished == null && failure == null) {
            wait();
        }
        if (channel == null && failure != null) {
            join();
            rethrow(failure);
        }
    }

    private static void rethrow(Throwable e) throws IOException {
        if (e instanceof UncheckedIOException u) {
            throw u.getCause();
        }
        if (e instanceof RuntimeException r) {
            throw r;
        }
        if (e instanceof Error err) {
            throw err;
        }
        if (e instanceof IOException io) {
            throw io;
        }
        throw new IOException(e);
    }

    /** The finished download, its length checked and its SHA-256 known; null while it runs or if it failed. */
    public Finished finished() {
        return finished;
    }

    /** The export's bytes as they arrive. */
    public InputStream open() throws IOException {
        return open(() -> { });
    }

    /**
     * The export's bytes as they arrive; {@code beforeWait} runs on the reading thread each time it caught up and is
     * about to wait for more (a reader parsing ahead hands over the rows it holds).
     */
    public synchronized InputStream open(Runnable beforeWait) throws IOException {
        if (channel == null) { // finished before the body was seen: it is a plain file now
            channel = SpoolFile.Reader.open(finished.download().file());
        }
        opened = true;
        SpoolFile.Reader in = channel;
        return new CountingInputStream(CountingInputStream.UNLIMITED) {
            @Override
            protected int readSome(byte[] b, int off, int len) throws IOException {
                long position = count();
                while (true) {
                    long available = awaitBytes(position, beforeWait);
                    if (available <= position) {
                        return -1;
                    }
                    int n = in.read(b, off, len, position, available);
                    if (n > 0) {
                        return n;
                    }
                }
            }

            @Override
            public void close() throws IOException {
                in.close();
            }
        };
    }

    /** Bytes written past {@code position}, waiting for them; {@code position} itself once the download finished there. */
    private long awaitBytes(long position, Runnable beforeWait) throws IOException {
        while (true) {
            SpoolFile file;
            long seen;
            synchronized (this) {
                if (written > position || finished != null || failure != null) {
                    return checked();
                }
                file = spool;
                seen = writes;
            }
            if (file != null && file.pending()) { // caught up with the file: the bytes still in its buffer are wanted now
                try {
                    file.flush();
                    wrote(file.onDisk());
                    continue;
                } catch (IOException e) {
                    // the download failed meanwhile: its own failure is what the reader is told, below
                }
            }
            beforeWait.run();
            synchronized (this) {
                try {
                    while (writes == seen && written <= position && finished == null && failure == null) {
                        wait();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while reading the export being downloaded", e);
                }
            }
        }
    }

    /** What is written, or what ended the download. */
    private synchronized long checked() throws IOException {
        if (failure instanceof ExportTooLargeException || failure instanceof LogsApiException) {
            throw (RuntimeException) failure; // downloading again would not help
        }
        if (failure != null) {
            throw new IOException("the download of " + target.getFileName() + " broke off: " + failure.getMessage(), failure);
        }
        return written;
    }

    /** Waits until the download's thread has ended (for tests: a checkpoint taken after the export is complete). */
    public void awaitEnd() {
        join();
    }

    /** Stops the download (at its next buffer) and waits for its thread: nothing writes the spool after this. */
    public void cancelAndJoin() {
        cancelled = true;
        join();
        synchronized (this) {
            if (channel != null && !opened) {
                try {
                    channel.close();
                } catch (IOException e) {
                    // read-only, nothing to lose
                }
            }
        }
    }

    private void join() {
        Thread t = thread;
        if (t == null || t == Thread.currentThread()) {
            return;
        }
        boolean interrupted = false;
        while (t.isAlive()) {
            try {
                t.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
