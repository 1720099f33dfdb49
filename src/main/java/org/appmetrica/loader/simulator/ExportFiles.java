package org.appmetrica.loader.simulator;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Renders prepared exports into files under a temporary directory (deleted on {@link #close()}), each with its gzip
 * copy made in the same pass ({@link GzipCopy}), so that repeated downloads are byte-identical and large exports do not grow the heap.
 */
final class ExportFiles implements AutoCloseable {

    private final long maxRowsPerFile;
    private final Path dir;
    private final ExecutorService renderExecutor;
    private final ExecutorService gzipExecutor;
    private final AtomicLong fileSeq = new AtomicLong();
    private volatile boolean closed;

    ExportFiles(long maxRowsPerFile) throws IOException {
        this.maxRowsPerFile = maxRowsPerFile;
        this.dir = Files.createTempDirectory("logs-api-simulator-");
        this.renderExecutor = Executors.newFixedThreadPool(2, SimulatorHttp.daemonThreads("logs-api-sim-render-"));
        this.gzipExecutor = Executors.newCachedThreadPool(SimulatorHttp.daemonThreads("logs-api-sim-gzip-"));
    }

    /** Starts rendering the requested variant while the client polls. */
    void prerender(Prepared prepared) {
        ExportQuery q = prepared.query;
        FutureTask<Rendered> task = variant(prepared, q.partsCount(), q.partNumber());
        try {
            renderExecutor.execute(task);
        } catch (RuntimeException e) {
            // executor shut down: the download request renders it itself
        }
    }

    /** The rendered file of one variant (rendering it now if needed), or null when the export was cancelled. */
    Rendered file(Prepared prepared, int partsCount, int partNumber) throws InterruptedException, IOException {
        FutureTask<Rendered> task = variant(prepared, partsCount, partNumber);
        task.run();
        try {
            return task.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof InterruptedIOException) {
                return null;
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(cause);
        }
    }

    private FutureTask<Rendered> variant(Prepared prepared, int partsCount, int partNumber) {
        return prepared.files.computeIfAbsent(partsCount + "/" + partNumber,
                k -> new FutureTask<>(() -> render(prepared, partsCount, partNumber)));
    }

    private Rendered render(Prepared prepared, int partsCount, int partNumber) throws IOException {
        ExportQuery q = prepared.query;
        Path file = dir.resolve("export-" + fileSeq.incrementAndGet() + (q.json() ? ".json" : ".csv"));
        Path gzip = dir.resolve(file.getFileName() + ".gz");
        boolean ok = false;
        GzipCopy copy = new GzipCopy(gzip, gzipExecutor);
        try (OutputStream plain = Files.newOutputStream(file); OutputStream both = new Tee(plain, copy)) {
            long rows = ExportRenderer.render(prepared.data, q, partsCount, partNumber, maxRowsPerFile,
                    both, () -> prepared.cancelled || closed);
            both.close();
            ok = true;
            return new Rendered(file, Files.size(file), gzip, Files.size(gzip), rows, false);
        } catch (ExportRenderer.TooLargeException e) {
            return Rendered.TOO_LARGE;
        } finally {
            if (!ok) {
                copy.abandon();
                Files.deleteIfExists(file);
                Files.deleteIfExists(gzip);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        SimulatorHttp.shutdown(renderExecutor);
        SimulatorHttp.shutdown(gzipExecutor);
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // best effort
        }
    }

    /** Writes every byte to both streams (the plain file and its gzip copy in one rendering pass). */
    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int x) throws IOException {
            a.write(x);
            b.write(x);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }

        @Override
        public void flush() throws IOException {
            a.flush();
            b.flush();
        }

        @Override
        public void close() throws IOException {
            try (a; b) {
                flush();
            }
        }
    }
}
