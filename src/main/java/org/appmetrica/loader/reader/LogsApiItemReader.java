package org.appmetrica.loader.reader;

import jakarta.batch.api.chunk.AbstractItemReader;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.context.JobContext;
import jakarta.batch.runtime.context.StepContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.appmetrica.loader.config.SecretRef;
import org.appmetrica.loader.coordination.SliceLease;
import org.appmetrica.loader.model.LoadParameters;
import org.appmetrica.loader.model.LoadSettings;
import org.appmetrica.loader.model.Slice;
import org.appmetrica.loader.model.SliceContext;
import org.appmetrica.loader.model.SliceProperties;
import org.appmetrica.loader.model.SliceReport;
import org.appmetrica.loader.logsapi.Download;
import org.appmetrica.loader.logsapi.ExportDownloader;
import org.appmetrica.loader.logsapi.ExportRequest;
import org.appmetrica.loader.logsapi.JaxRsLogsApiTransport;
import org.appmetrica.loader.logsapi.LogsApiTransport;
import org.appmetrica.loader.logsapi.PartsRequiredException;
import org.appmetrica.loader.logsapi.StopRequestedException;
import org.appmetrica.loader.schema.FieldCatalog;
import org.appmetrica.loader.schema.SourceSpec;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

/**
 * Reads one slice (application, source, day) from the Logs API: submits the export, waits in the queue, spools
 * the file (all parts) to local disk, then streams its rows.
 * <p>Restart: the checkpoint names the slice, the parts and their SHA-256, and the number of rows handed out.
 * {@code open} re-reads the spooled bytes and skips that many rows; if the spool is gone it downloads the same
 * export again (no {@code no-cache}) and refuses to continue if the bytes differ.
 */
@Named
@Dependent
public class LogsApiItemReader extends AbstractItemReader {

    private static final Logger LOG = Logger.getLogger("org.appmetrica.loader.progress");
    /** Exports this large fail fast if the API still wants more parts. */
    private static final int MAX_PARTS = 64;

    @Inject
    JobContext jobContext;
    @Inject
    StepContext stepContext;

    private Slice slice;
    private SliceContext context;
    private List<String> partSha256 = List.of();
    private int partsCount = 1;
    private long rowsDone;
    private List<java.nio.file.Path> files = List.of();
    private int fileIndex;
    private RowSource rows;
    private List<String> fields;
    private String format;
    private boolean stopped;
    private ExportSpool spool;
    private String spoolId;
    /** The stage epoch the checkpoints carry: the lease's, or the saved one while no lease is held. */
    private String stageEpoch;

    @Override
    public void open(Serializable checkpoint) throws Exception {
        try {
            doOpen(checkpoint);
        } catch (Exception | Error e) {
            org.appmetrica.loader.model.Failures.record(jobContext, stepContext, e);
            throw e;
        }
    }

    private void doOpen(Serializable checkpoint) throws Exception {
        LoadSettings settings = SliceProperties.settings(jobContext);
        slice = SliceProperties.slice(stepContext);
        context = SliceContext.of(stepContext, slice);
        context.readerExhausted(false);
        SourceSpec source = FieldCatalog.get().source(slice.source()).orElseThrow();
        fields = settings.fields().get(slice.source());
        format = settings.format();
        ReaderCheckpoint saved = (ReaderCheckpoint) checkpoint;
        if (saved != null && !saved.sliceKey().equals(slice.key())) {
            throw new IllegalStateException("checkpoint of slice " + saved.sliceKey() + " offered to slice " + slice.key());
        }
        partsCount = saved == null ? 1 : saved.partsCount();
        rowsDone = saved == null ? 0 : saved.rowsDone();
        stageEpoch = saved == null ? null : saved.stageEpoch();
        // A partition's JobContext is a copy that does not see a stop; the JobOperator's execution does.
        long executionId = jobContext.getExecutionId();
        BooleanSupplier stop = () -> BatchRuntime.getJobOperator().getJobExecution(executionId).getBatchStatus() == BatchStatus.STOPPING;
        SliceLease lease;
        try {
            lease = SliceLease.acquire(SliceLease.key(settings.clickhouseDatabase(), slice.source(), slice.applicationId(),
                            slice.day() == null ? "-" : slice.day().toString()), executionId, jobContext.getInstanceId(),
                    settings.leaseWait(), stop, line -> LOG.info(slice + ": " + line), Clock.systemUTC());
        } catch (SliceLease.StoppedWaiting e) {
            LOG.info(slice + ": stop requested while waiting for another execution to finish this slice");
            stopped = true;
            return;
        } catch (SliceLease.BusyException e) {
            throw new IllegalStateException(slice + ": " + e.getMessage(), e);
        }
        context.lease(lease);
        if (saved != null && stepContext.getPersistentUserData() instanceof SliceReport r && SliceReport.PUBLISHED.equals(r.state())) {
            // JBeret saves a partition's COMPLETED status only once every partition has been handed a thread; the
            // checkpoint committed after the swap says it all: the slice is in the target already.
            LOG.info(slice + ": published before the restart; nothing to do");
            context.alreadyPublished();
            return;
        }
        if (saved != null && !lease.stageEpoch().equals(saved.stageEpoch())) {
            if (rowsDone > 0) {
                LOG.info(slice + ": the staging partition no longer holds what the checkpoint describes (another load used it "
                        + "since); loading the slice again from its first row");
            }
            restartFromFirstRow();
        }
        stageEpoch = lease.stageEpoch();
        ExportRequest request = new ExportRequest(settings.apiUrl(), slice.source(), format, slice.applicationId(),
                slice.day(), slice.day(), source.dateDimensionAccepted() ? settings.dateDimension() : null,
                fields, settings.filters().get(slice.source()), 1, 0);
        ExportSpool spool = new ExportSpool(settings.spoolDir(), jobContext.getInstanceId(), slice, request.fingerprint());
        spoolId = spool.claim(saved == null ? null : saved.spoolId());
        try {
            download(settings, spool, request, stop, saved);
        } catch (StopRequestedException e) {
            LOG.info(slice + ": stop requested while waiting for the export");
            stopped = true;
            return;
        }
        if (rowsDone > 0 && !saved.partSha256().equals(partSha256)) {
            LOG.warning(slice + ": the export downloaded again differs from the one loading started from; "
                    + "loading the slice again from its first row");
            restartFromFirstRow();
        }
        this.spool = spool;
        fileIndex = 0;
        rows = openFile(0);
        for (long i = 0; i < rowsDone; i++) {
            if (nextRow() == null) {
                LOG.warning(slice + ": the export has fewer rows than the checkpoint; loading the slice again from its first row");
                restartFromFirstRow();
                rows.close();
                fileIndex = 0;
                rows = openFile(0);
                break;
            }
        }
    }

    private void restartFromFirstRow() {
        rowsDone = 0;
        context.restartFromFirstRow(true);
    }

    private void download(LoadSettings settings, ExportSpool spool, ExportRequest request, BooleanSupplier stop,
                          ReaderCheckpoint saved) throws Exception {
        while (true) {
            List<java.nio.file.Path> paths = new ArrayList<>();
            for (int part = 0; part < partsCount; part++) {
                paths.add(spool.part(partsCount, part, format));
            }
            if (paths.stream().allMatch(Files::exists)) {
                long bytes = 0;
                for (java.nio.file.Path p : paths) {
                    bytes += Files.size(p);
                }
                context.bytes(bytes);
                context.firstByteAt(System.currentTimeMillis()); // the export is already on disk
                files = paths;
                partSha256 = shaOf(paths, saved);
                return;
            }
            String token = SecretRef.resolve(LoadParameters.TOKEN_REF, settings.tokenRef(), true);
            if (!ExportPermits.acquire(settings.apiUrl(), slice.applicationId(), stop)) {
                throw new StopRequestedException("stop requested");
            }
            try (LogsApiTransport transport = new JaxRsLogsApiTransport(settings.apiUrl(), token,
                    Duration.ofSeconds(30), Duration.ofSeconds(settings.httpTimeoutSeconds()))) {
                ProgressLog progress = new ProgressLog(slice, stepContext, spool);
                ExportDownloader downloader = new ExportDownloader(transport, settings.poll(), d -> Thread.sleep(d.toMillis()),
                        Clock.systemUTC(), stop, progress);
                List<String> shas = new ArrayList<>();
                long bytes = 0;
                for (int part = 0; part < partsCount; part++) {
                    ExportRequest partRequest = request.withPart(partsCount, part);
                    Download d = Files.exists(paths.get(part)) ? null
                            : downloader.download(partRequest, !spool.submitted() && part == 0, paths.get(part));
                    bytes += d == null ? Files.size(paths.get(part)) : d.bytes();
                }
                context.bytes(bytes);
                context.firstByteAt(progress.firstByteAt);
                files = paths;
                partSha256 = shaOf(paths, null);
                return;
            } catch (PartsRequiredException e) {
                if (partsCount * 2 > MAX_PARTS) {
                    throw new IllegalStateException(slice + ": " + e.getMessage() + " even with " + partsCount + " parts", e);
                }
                if (rowsDone > 0) {
                    restartFromFirstRow();
                }
                partsCount *= 2;
                spool.deleteParts();
                LOG.info(slice + ": the export is too large for one file, asking for " + partsCount + " parts");
            } finally {
                ExportPermits.release(settings.apiUrl(), slice.applicationId());
            }
        }
    }

    private List<String> shaOf(List<java.nio.file.Path> paths, ReaderCheckpoint saved) throws IOException {
        if (saved != null && saved.partSha256().size() == paths.size()) {
            // Trust the spool claimed for this checkpoint; hashing gigabytes again on every retry costs too much.
            return saved.partSha256();
        }
        List<String> shas = new ArrayList<>();
        for (java.nio.file.Path p : paths) {
            shas.add(Sha256.of(p));
        }
        return shas;
    }

    private RowSource openFile(int index) throws IOException {
        java.nio.file.Path file = files.get(index);
        InputStream in = Files.newInputStream(file);
        String name = slice + " " + file.getFileName();
        try {
            return format.equals("json") ? new JsonRowSource(in, fields, name) : new CsvRowSource(in, fields, name);
        } catch (IOException e) {
            in.close();
            throw corrupt(e);
        }
    }

    /** Deletes the unusable spool so that the retry or restart downloads the export again. */
    private CorruptExportException corrupt(IOException e) {
        if (spool != null) {
            spool.deleteParts();
        }
        return new CorruptExportException(e.getMessage() + " (the downloaded file was removed; it is downloaded again on retry)", e);
    }

    private String[] nextRow() throws IOException {
        while (true) {
            String[] values;
            try {
                values = rows.next();
            } catch (CorruptExportException e) {
                throw e;
            } catch (IOException e) {
                throw corrupt(e);
            }
            if (values != null) {
                return values;
            }
            if (fileIndex + 1 >= files.size()) {
                return null;
            }
            rows.close();
            rows = openFile(++fileIndex);
        }
    }

    @Override
    public Object readItem() throws Exception {
        if (stopped) {
            stopped = false; // one marker so the chunk can end; nothing was read
            return ExportRow.NOTHING;
        }
        if (rows == null) {
            return null;
        }
        String[] values = nextRow();
        if (values == null) {
            context.readerExhausted(true);
            return null;
        }
        return new ExportRow(rowsDone++, values);
    }

    /**
     * The position of the rows confirmed in ClickHouse, not of the rows read: the writer's INSERT of the last chunk may
     * still be running (see ClickHouseItemWriter), and a restart must read that chunk again.
     */
    @Override
    public Serializable checkpointInfo() {
        SliceLease lease = context == null ? null : context.lease();
        return new ReaderCheckpoint(slice.key(), partsCount, partSha256, context == null ? rowsDone : context.rowsStaged(),
                lease == null ? stageEpoch : lease.stageEpoch(), spoolId);
    }

    /** Closed after the writer, whose last INSERT has ended by then: only now may another execution take the slice. */
    @Override
    public void close() throws Exception {
        try {
            if (rows != null) {
                rows.close();
                rows = null;
            }
        } finally {
            SliceLease lease = context == null ? null : context.lease();
            if (lease != null) {
                context.lease(null);
                lease.release();
            }
        }
    }
}
