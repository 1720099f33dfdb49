package org.appmetrica.loader.simulator;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a gzip copy of the bytes it is given to a file, compressing on a thread of its own, so that rendering and
 * compressing an export share its preparation time instead of adding up (the real API prepares on its servers).
 */
final class GzipCopy extends OutputStream {

    /** The fastest level: the simulated data is calibrated to compress as a real export does at this level. */
    static final int LEVEL = Deflater.BEST_SPEED;
    private static final byte[] END = new byte[0];

    private final BlockingQueue<byte[]> chunks = new ArrayBlockingQueue<>(32);
    private final Future<?> compressor;
    private boolean closed;

    GzipCopy(Path file, ExecutorService executor) {
        compressor = executor.submit(() -> {
            try (OutputStream z = new LeveledGzip(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
                for (byte[] chunk = chunks.take(); chunk != END; chunk = chunks.take()) {
                    z.write(chunk);
                }
            }
            return null;
        });
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (len > 0) {
            put(Arrays.copyOfRange(b, off, off + len));
        }
    }

    /** Waits until the whole copy is written; an abandoned copy (an exception while rendering) is cancelled. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        put(END);
        awaitCompressor();
    }

    private void awaitCompressor() throws IOException {
        try {
            compressor.get();
        } catch (InterruptedException e) {
            compressor.cancel(true);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    /** Stops the compressor without waiting (the rendering failed; the caller deletes the file). */
    void abandon() {
        closed = true;
        compressor.cancel(true);
    }

    private void put(byte[] chunk) throws IOException {
        try {
            while (!chunks.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
                if (compressor.isDone()) { // it stopped before the end: report why
                    awaitCompressor();
                    throw new IOException("the gzip copy stopped early");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        }
    }

    private static final class LeveledGzip extends GZIPOutputStream {
        LeveledGzip(OutputStream out) throws IOException {
            super(out, 1 << 16);
            def.setLevel(LEVEL);
        }
    }
}
