package org.appmetrica.loader.logsapi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Brings one slice's export to local disk: claims the slice's {@link ExportSpool}, reuses the parts this load spooled
 * there, and otherwise submits the export (at most three at once per application, {@link ExportPermits}), waits in
 * the API's queue, asks for twice the parts while the API says the file is too large, and spools every part with its
 * SHA-256. Knows nothing of batch jobs: it is given plain values.
 */
public final class ExportFetcher {

    /** Exports this large fail fast if the API still wants more parts. */
    public static final int MAX_PARTS = 64;
    private static final Logger LOG = Logger.getLogger("org.appmetrica.loader.progress");

    /** Opens a connection to the Logs API at {@code apiUrl} with the OAuth token; tests give a fake one. */
    @FunctionalInterface
    public interface TransportFactory {
        LogsApiTransport open(String apiUrl, String token);
    }

    /**
     * The export on disk: its parts in order, their SHA-256, their total size, when its first byte arrived, and whether
     * every part was on disk already (this spool's own download, complete and checked, from before).
     */
    public record Export(List<Path> files, List<String> partSha256, long bytes, long firstByteAt, boolean spooledBefore) {

        public Export {
            files = List.copyOf(files);
            partSha256 = List.copyOf(partSha256);
        }
    }

    private final ExportRequest request;
    private final ExportSpool spool;
    private final TransportFactory transports;
    private final Supplier<String> token;
    private final PollSettings poll;
    private final Sleeper sleeper;
    private final Clock clock;
    private final BooleanSupplier stopRequested;
    private int partsCount;

    /**
     * @param request       the whole export (one part); its application, source and day name the spool
     * @param partsCount    the parts to ask for first (a restart's checkpoint knows how many the API wanted)
     * @param token         resolved only when a request is sent
     * @param stopRequested checked while waiting; a stop ends the wait with {@link StopRequestedException}
     */
    public ExportFetcher(ExportRequest request, int partsCount, Path spoolDir, long jobInstanceId, TransportFactory transports,
                         Supplier<String> token, PollSettings poll, Sleeper sleeper, Clock clock, BooleanSupplier stopRequested) {
        this.request = request.withPart(1, 0);
        this.partsCount = partsCount;
        this.spool = new ExportSpool(spoolDir, jobInstanceId, this.request);
        this.transports = transports;
        this.token = token;
        this.poll = poll;
        this.sleeper = sleeper;
        this.clock = clock;
        this.stopRequested = stopRequested;
    }

    /** Makes the spool this load's own (see {@link ExportSpool#claim}); returns the id its checkpoints repeat. */
    public String claim(String checkpointedSpoolId) {
        return spool.claim(checkpointedSpoolId);
    }

    /** The parts the export is asked in: more than at construction once the API asked for more. */
    public int partsCount() {
        return partsCount;
    }

    /**
     * Returns the export's parts on disk, downloading those missing.
     *
     * @param knownSha256 the parts' SHA-256 as a checkpoint of this spool saved them: used for a part spooled without
     *                    its hash beside it (by an older version); a part whose hash is known nowhere is downloaded again
     * @param progress    a fresh listener for each submission (the first, and each one with more parts)
     * @throws StopRequestedException when a stop was requested while waiting for a permit or for the API
     */
    public Export fetch(List<String> knownSha256, Supplier<? extends ExportProgress> progress) throws IOException, InterruptedException {
        int firstPartsCount = partsCount;
        while (true) {
            List<Path> paths = new ArrayList<>();
            List<String> hashes = new ArrayList<>();
            for (int part = 0; part < partsCount; part++) {
                Path path = spool.part(partsCount, part, request.format());
                paths.add(path);
                hashes.add(spooledSha256(path, partsCount == firstPartsCount && knownSha256.size() == partsCount
                        ? knownSha256.get(part) : null).orElse(null));
            }
            if (!hashes.contains(null)) {
                return new Export(paths, hashes, size(paths), System.currentTimeMillis(), true); // already on disk
            }
            String apiToken = token.get();
            if (!ExportPermits.acquire(request.apiUrl(), request.applicationId(), stopRequested)) {
                throw new StopRequestedException("stop requested");
            }
            try (LogsApiTransport transport = transports.open(request.apiUrl(), apiToken)) {
                Watcher watcher = new Watcher(progress.get());
                ExportDownloader downloader = new ExportDownloader(transport, poll, sleeper, clock, stopRequested, watcher);
                for (int part = 0; part < partsCount; part++) {
                    if (hashes.get(part) == null) {
                        Download d = downloader.download(request.withPart(partsCount, part), !spool.submitted() && part == 0, paths.get(part));
                        spool.saveSha256(d.file(), d.sha256());
                        hashes.set(part, d.sha256());
                    }
                }
                return new Export(paths, hashes, size(paths), watcher.firstByteAt, false);
            } catch (PartsRequiredException e) {
                if (partsCount * 2 > MAX_PARTS) {
                    throw new IllegalStateException(request.describe() + ": " + e.getMessage() + " even with " + partsCount + " parts", e);
                }
                partsCount *= 2;
                spool.deleteParts();
                LOG.info(request.describe() + ": the export is too large for one file, asking for " + partsCount + " parts");
            } finally {
                ExportPermits.release(request.apiUrl(), request.applicationId());
            }
        }
    }

    /**
     * Starts the download of a one-part export that is not spooled yet on a thread of its own, and returns once its body
     * is arriving (read it with {@link LiveDownload#open}) — or null when the export is spooled already or comes in
     * parts: then {@link #fetch} it. The wait in the API's queue happens on that thread; this one waits for it.
     *
     * @throws StopRequestedException when a stop was requested while waiting for a permit or for the API
     * @throws PartsRequiredException when the API wants parts: {@link #fetch} asks for them
     */
    public LiveDownload fetchLive(Supplier<? extends ExportProgress> progress) throws IOException, InterruptedException {
        Path path = spool.part(1, 0, request.format());
        if (partsCount != 1 || Files.exists(path)) {
            return null;
        }
        String apiToken = token.get();
        LiveDownload live = new LiveDownload(request, path);
        Watcher watcher = new Watcher(progress.get(), false);
        Thread thread = new Thread(() -> {
            try {
                download(live, watcher, apiToken);
            } catch (Throwable e) {
                live.fail(e);
            }
        }, "export-download " + request.describe());
        thread.setDaemon(true);
        live.thread(thread);
        thread.start();
        live.awaitStart();
        return live;
    }

    private void download(LiveDownload live, Watcher watcher, String apiToken) throws InterruptedException {
        BooleanSupplier stop = () -> stopRequested.getAsBoolean() || live.cancelled();
        if (!ExportPermits.acquire(request.apiUrl(), request.applicationId(), stop)) {
            throw new StopRequestedException("stop requested");
        }
        try (LogsApiTransport transport = transports.open(request.apiUrl(), apiToken)) {
            ExportDownloader downloader = new ExportDownloader(transport, poll, sleeper, clock, stop, watcher);
            Download d = downloader.download(request, !spool.submitted(), live.target(), live);
            spool.saveSha256(d.file(), d.sha256());
            live.finish(d, watcher.firstByteAt, watcher.millis);
        } finally {
            ExportPermits.release(request.apiUrl(), request.applicationId());
        }
    }

    /** A spooled part's SHA-256: saved beside it, else the one a checkpoint knows; empty when the part must be downloaded. */
    private Optional<String> spooledSha256(Path part, String known) {
        if (!Files.exists(part)) {
            return Optional.empty();
        }
        Optional<String> saved = spool.sha256(part);
        return saved.isPresent() ? saved : Optional.ofNullable(known);
    }

    private static long size(List<Path> paths) throws IOException {
        long bytes = 0;
        for (Path p : paths) {
            bytes += Files.size(p);
        }
        return bytes;
    }

    /** Deletes the spooled parts, so that the next fetch downloads them again (e.g. a file that does not parse). */
    public void discardParts() {
        spool.deleteParts();
    }

    /**
     * Marks the spool submitted at the API's first 202, and notes when the first byte arrived. A live download's end is
     * told by its reader, on the reader's thread (progress reports go to the step's context).
     */
    private final class Watcher implements ExportProgress {

        private final ExportProgress progress;
        private final boolean tellDownloaded;
        long firstByteAt;
        long millis;

        Watcher(ExportProgress progress) {
            this(progress, true);
        }

        Watcher(ExportProgress progress, boolean tellDownloaded) {
            this.progress = progress;
            this.tellDownloaded = tellDownloaded;
        }

        @Override
        public void requested(ExportRequest r) {
            progress.requested(r);
        }

        @Override
        public void waiting(ExportRequest r, String apiText, int percent) {
            spool.markSubmitted();
            progress.waiting(r, apiText, percent);
        }

        @Override
        public void rateLimited(ExportRequest r, String apiText) {
            progress.rateLimited(r, apiText);
        }

        @Override
        public void retrying(ExportRequest r, String reason, int attempt) {
            progress.retrying(r, reason, attempt);
        }

        @Override
        public void downloaded(ExportRequest r, long bytes, long millis) {
            if (firstByteAt == 0) {
                firstByteAt = System.currentTimeMillis() - millis;
            }
            this.millis = millis;
            if (tellDownloaded) {
                progress.downloaded(r, bytes, millis);
            }
        }
    }
}
