package org.appmetrica.loader.reader;

import jakarta.batch.api.chunk.AbstractItemReader;
import jakarta.batch.operations.JobOperator;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.context.JobContext;
import jakarta.batch.runtime.context.StepContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.appmetrica.loader.config.SecretRef;
import org.appmetrica.loader.coordination.SliceLease;
import org.appmetrica.loader.logsapi.ExportFetcher;
import org.appmetrica.loader.logsapi.ExportRequest;
import org.appmetrica.loader.logsapi.HttpLogsApiTransport;
import org.appmetrica.loader.logsapi.LiveDownload;
import org.appmetrica.loader.logsapi.PartsRequiredException;
import org.appmetrica.loader.logsapi.Sleeper;
import org.appmetrica.loader.logsapi.StopRequestedException;
import org.appmetrica.loader.metrics.Failures;
import org.appmetrica.loader.model.LoadParameters;
import org.appmetrica.loader.model.LoadSettings;
import org.appmetrica.loader.model.RowMetrics;
import org.appmetrica.loader.model.Slice;
import org.appmetrica.loader.model.SliceContext;
import org.appmetrica.loader.model.SliceHandOff;
import org.appmetrica.loader.model.SliceProperties;
import org.appmetrica.loader.model.SliceReport;
import org.appmetrica.loader.model.SliceState;
import org.appmetrica.loader.reader.RestartDecision.Action;
import org.appmetrica.loader.reader.RestartDecision.Decision;
import org.appmetrica.loader.schema.FieldCatalog;
import org.appmetrica.loader.schema.SourceSpec;

import java.io.IOException;
import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

/**
 * Reads one slice (application, source, day) from the Logs API: takes the slice's lease, has {@link ExportFetcher}
 * bring the export (all parts) to local disk, then streams its rows.
 * <p>Restart: the checkpoint names the slice, the parts and their SHA-256, and the number of rows confirmed in
 * ClickHouse. {@code open} re-reads the spooled bytes and skips that many rows; if the spool is gone it downloads the
 * same export again (no {@code no-cache}) and, if the bytes differ, reads the slice again from its first row.
 */
@Named
@Dependent
public class LogsApiItemReader extends AbstractItemReader {

    private static final Logger LOG = Logger.getLogger("org.appmetrica.loader.progress");
    /** Rows per item: enough that the per-item work of the batch runtime is nothing per row, few enough for exact chunks. */
    static final int BLOCK_ROWS = 512;
    /** A block of wide rows (crashes) ends at this many bytes of values. */
    static final int BLOCK_BYTES = 256 * 1024;

    @Inject
    JobContext jobContext;
    @Inject
    StepContext stepContext;
    /** How the fetcher reaches the Logs API; null: over HTTP (JAX-RS). */
    private final ExportFetcher.TransportFactory transports;
    /** Whether a stop of the execution was requested; null: ask the JobOperator. */
    private final BooleanSupplier stopRequested;

    private Slice slice;
    private SliceContext context;
    private List<String> partSha256 = List.of();
    private int partsCount = 1;
    private long rowsDone;
    private SpooledRows rows;
    /** The rows in blocks, from the first read on (parsed ahead on a thread of their own unless turned off). */
    private ParseAhead blocks;
    /** Set once the rows ended: the next read says so (after the last block went out). */
    private boolean ended;
    /** The export being read while it downloads, until the reader closes. */
    private LiveDownload live;
    private boolean stopped;
    /** The reader failed: an export still arriving is then not waited for (it may never end). */
    private boolean failed;
    private String spoolId;
    /** The stage epoch the checkpoints carry: the lease's, or the saved one while no lease is held. */
    private String stageEpoch;
    /** Held from open to close; null when a stop came first. */
    private SliceLease lease;
    /** Whether the rows the checkpoint counts were dropped: the writer then empties the staging partition. */
    private boolean fromFirstRow;

    public LogsApiItemReader() {
        this(null, null, null, null);
    }

    /** For tests: no CDI, a fake Logs API, and a stop the test controls. */
    LogsApiItemReader(JobContext jobContext, StepContext stepContext, ExportFetcher.TransportFactory transports,
                      BooleanSupplier stopRequested) {
        this.jobContext = jobContext;
        this.stepContext = stepContext;
        this.transports = transports;
        this.stopRequested = stopRequested;
    }

    @Override
    public void open(Serializable checkpoint) throws Exception {
        failed = false;
        try {
            doOpen(checkpoint);
            context.handOff(new SliceHandOff(lease, fromFirstRow));
        } catch (Exception | Error e) {
            failed = true;
            Failures.record(jobContext, stepContext, e);
            throw e;
        }
    }

    /** The slice's lease, the decisions on the checkpoint, the export, then the rows the checkpoint counts skipped. */
    private void doOpen(Serializable checkpoint) throws Exception {
        LoadSettings settings = SliceProperties.settings(jobContext);
        slice = SliceProperties.slice(stepContext);
        context = SliceContext.of(stepContext, slice);
        context.readerExhausted(false);
        ended = false;
        context.handOff(null); // until this open succeeds, the writer's open has nothing to go by
        ReaderCheckpoint saved = (ReaderCheckpoint) checkpoint;
        RestartDecision.checkIdentity(saved, slice.key());
        partsCount = saved == null ? 1 : saved.partsCount();
        rowsDone = saved == null ? 0 : saved.rowsDone();
        stageEpoch = saved == null ? null : saved.stageEpoch();
        fromFirstRow = false;
        BooleanSupplier stop = stopRequested != null ? stopRequested : stopOf(jobContext.getExecutionId());
        if (stop.getAsBoolean()) {
            // the runtime still hands out the partitions after a stop: these end at once, asking the API nothing
            stepContext.setPersistentUserData(SliceReport.start(slice.key(), SliceState.NOT_STARTED));
            stopped = true;
            return;
        }
        org.appmetrica.loader.config.Timeline.mark(slice + ": reader opening");
        lease = acquireLease(settings, stop);
        if (lease == null) {
            stepContext.setPersistentUserData(stoppedWaiting());
            stopped = true;
            return;
        }
        Decision atLease = RestartDecision.atLease(saved, stepContext.getPersistentUserData() instanceof SliceReport r
                && r.is(SliceState.PUBLISHED), lease.stageEpoch());
        apply(atLease);
        if (atLease.action() == Action.ALREADY_PUBLISHED) {
            context.alreadyPublished();
            return;
        }
        stageEpoch = lease.stageEpoch();
        ExportFetcher fetcher = fetcher(settings, stop);
        spoolId = fetcher.claim(saved == null ? null : saved.spoolId());
        if (RestartDecision.readLive(rowsDone, context.liveDownloadFailed()) && openLive(fetcher, settings)) {
            return;
        }
        ExportFetcher.Export export = null;
        try {
            export = fetcher.fetch(saved == null ? List.of() : saved.partSha256(), () -> new ProgressLog(slice, stepContext));
        } catch (StopRequestedException e) {
            LOG.info(slice + ": stop requested while waiting for the export");
            stepContext.setPersistentUserData(stoppedWaiting());
            stopped = true;
        }
        apply(RestartDecision.atExport(saved, rowsDone, partsCount, fetcher.partsCount(), export == null ? null : export.partSha256(),
                export != null && export.spooledBefore()));
        partsCount = fetcher.partsCount();
        if (export == null) {
            return;
        }
        context.bytes(export.bytes());
        context.firstByteAt(export.firstByteAt());
        partSha256 = export.partSha256();
        List<String> fields = settings.fields().get(slice.source());
        rows = SpooledRows.of(export.files(), settings.format(), fields, slice.toString(), fetcher::discardParts,
                settings.transfer().maxExportBytes());
        if (!rows.skip(rowsDone)) { // the rows the checkpoint counts
            LOG.warning(slice + ": the export has fewer rows than the checkpoint; loading the slice again from its first row");
            apply(new Decision(Action.FROM_FIRST_ROW, 0, null, false));
            rows.close();
            rows = SpooledRows.of(export.files(), settings.format(), fields, slice.toString(), fetcher::discardParts,
                settings.transfer().maxExportBytes());
        }
    }

    /** The slice's lease; null when a stop came while another execution held it. */
    private SliceLease acquireLease(LoadSettings settings, BooleanSupplier stop) throws Exception {
        try {
            return SliceLease.acquire(SliceLease.key(settings.clickhouseDatabase(), slice.source(), slice.applicationId(),
                            slice.day() == null ? "-" : slice.day().toString()), jobContext.getExecutionId(), jobContext.getInstanceId(),
                    settings.leaseWait(), stop, line -> LOG.info(slice + ": " + line), Clock.systemUTC());
        } catch (SliceLease.StoppedWaiting e) {
            LOG.info(slice + ": stop requested while waiting for another execution to finish this slice");
            return null;
        } catch (SliceLease.BusyException e) {
            throw new IllegalStateException(slice + ": " + e.getMessage(), e);
        }
    }

    private void apply(Decision decision) {
        if (decision.why() != null) {
            if (decision.warning()) {
                LOG.warning(slice + ": " + decision.why());
            } else {
                LOG.info(slice + ": " + decision.why());
            }
        }
        rowsDone = decision.skip();
        fromFirstRow |= decision.restartsSlice();
    }

    /**
     * From the first row, a one-part export not spooled yet is read while it downloads. Its SHA-256 is known only at
     * its end: the checkpoints before it name no hash, so a restart from one of them loads the slice from its first row.
     * The reader sees the end only once the download has checked the body's length, so nothing is published before.
     *
     * @return false when the export must be fetched whole first (spooled already, or in parts)
     */
    private boolean openLive(ExportFetcher fetcher, LoadSettings settings) throws IOException, InterruptedException {
        ProgressLog progress = new ProgressLog(slice, stepContext);
        LiveDownload download;
        try {
            download = fetcher.fetchLive(() -> progress);
        } catch (StopRequestedException e) {
            LOG.info(slice + ": stop requested while waiting for the export");
            stepContext.setPersistentUserData(stoppedWaiting());
            stopped = true;
            return true;
        } catch (PartsRequiredException e) {
            return false;
        }
        if (download == null) {
            return false;
        }
        org.appmetrica.loader.config.Timeline.mark(slice + ": live download started");
        live = download;
        partSha256 = List.of();
        context.firstByteAt(System.currentTimeMillis());
        SpooledRows.Part part = SpooledRows.part(download.target().getFileName().toString(), () -> download.open(() -> {
            ParseAhead parsing = blocks; // set before its thread starts: this runs on that thread, or finds null
            if (parsing != null) {
                parsing.handOver(); // the parse thread waits for bytes: the chunk may need no more rows than it has
            }
        }));
        try {
            rows = SpooledRows.of(part, settings.format(), settings.fields().get(slice.source()), slice.toString(), () -> {
                download.cancelAndJoin();
                fetcher.discardParts();
            }, settings.transfer().maxExportBytes());
        } catch (CorruptExportException e) {
            // broke off before its header was read: nothing was read, fetch it whole now (the downloader retries breaks)
            LOG.info(slice + ": " + e.getMessage() + "; downloading it whole before reading");
            context.liveDownloadFailed(true);
            live = null;
            return false;
        }
        return true;
    }

    /** For tests: returns once an export read while it downloads has been downloaded whole. */
    void awaitDownload() {
        if (live != null) {
            live.awaitEnd();
        }
    }

    /** Once the live download ended and its length was checked, its hash goes into the checkpoints. */
    private void takeFinishedDownload() {
        // (called before each checkpoint too: see checkpointInfo)
        LiveDownload.Finished finished = live == null || !partSha256.isEmpty() ? null : live.finished();
        if (finished == null) {
            return;
        }
        partSha256 = List.of(finished.download().sha256());
        context.bytes(finished.download().bytes());
        context.firstByteAt(finished.firstByteAt());
        new ProgressLog(slice, stepContext).downloaded(finished.request(), finished.download().bytes(), finished.millis());
    }

    private SliceReport stoppedWaiting() {
        Object current = stepContext.getPersistentUserData();
        SliceReport r = current instanceof SliceReport x ? x : SliceReport.start(slice.key(), SliceState.STOPPED_WAITING);
        return r.with(SliceState.STOPPED_WAITING, r.apiProgress(), r.rows(), r.bytes(), r.millis(), null);
    }

    /** A partition's JobContext is a copy that does not see a stop; the JobOperator's execution does. */
    private static BooleanSupplier stopOf(long executionId) {
        // looked up once: each lookup runs a ServiceLoader over the class path (about 50 KB of garbage every 250 ms)
        JobOperator operator = BatchRuntime.getJobOperator();
        return () -> operator.getJobExecution(executionId).getBatchStatus() == BatchStatus.STOPPING;
    }

    private ExportFetcher fetcher(LoadSettings settings, BooleanSupplier stop) {
        SourceSpec source = FieldCatalog.get().source(slice.source()).orElseThrow();
        ExportRequest request = new ExportRequest(settings.apiUrl(), slice.source(), settings.format(), slice.applicationId(),
                slice.day(), slice.day(), source.dateDimensionAccepted() ? settings.dateDimension() : null,
                settings.fields().get(slice.source()), settings.filters().get(slice.source()), 1, 0);
        ExportFetcher.TransportFactory http = transports != null ? transports : (apiUrl, token) -> new HttpLogsApiTransport(apiUrl,
                token, Duration.ofSeconds(30), Duration.ofSeconds(settings.httpTimeoutSeconds()), settings.transfer());
        return new ExportFetcher(request, partsCount, settings.spoolDir(), jobContext.getInstanceId(), http,
                () -> SecretRef.resolve(LoadParameters.TOKEN_REF, settings.tokenRef(), true), settings.poll(), Sleeper.SYSTEM,
                Clock.systemUTC(), stop);
    }

    /**
     * The next block of rows: up to {@link #BLOCK_ROWS} rows or {@link #BLOCK_BYTES} of values, and never past the rows
     * the current chunk may still take (so that a chunk holds exactly {@code chunkSize} rows). Null once the export ended.
     */
    @Override
    public Object readItem() throws Exception {
        if (stopped) {
            stopped = false; // one marker so the chunk can end; nothing was read
            return RowBlock.NOTHING;
        }
        if (rows == null) {
            return null;
        }
        if (ended) {
            takeFinishedDownload();
            context.readerExhausted(true);
            return null;
        }
        if (blocks == null) {
            blocks = new ParseAhead(rows, rowsDone, ParseAhead.on() ? "appmetrica-parse " + slice : null);
            // started once published: its thread's wait hook (in fetch) hands rows over through this field; started in its
            // constructor, the thread could wait for bytes holding rows the chunk waits for, while the field was unset
            blocks.start();
        }
        RowBlock block;
        try {
            block = blocks.take((int) Math.min(BLOCK_ROWS, Math.max(1, context.chunkRowsLeft())));
        } catch (CorruptExportException e) {
            // a body that broke off under the reader: the chunk retry downloads it whole first, with the downloader's
            // own retries of broken bodies, instead of spending one chunk retry per break
            if (live != null) {
                context.liveDownloadFailed(true);
            }
            throw e;
        } catch (RuntimeException | IOException e) {
            failed = true; // the rest of the body is not wanted: close() must not wait for it
            throw e;
        }
        takeFinishedDownload();
        // the writer ends its INSERTs earlier as the end nears (known once the export's length is: all of it spooled)
        context.exportRowsLeft(partSha256.isEmpty() ? -1 : rows.rowsLeft(rowsDone, context.bytes()));
        if (block == null) {
            // the export ended at a chunk's end: a marker, so that the writer ends its INSERT in a chunk of its own, where
            // a failure is retried (the runtime does not retry one thrown by the chunk listener that publishes); then null
            ended = true;
            context.readerExhausted(true);
            return RowBlock.NOTHING;
        }
        ended = blocks.ended();
        rowsDone += block.rows();
        RowMetrics.read(stepContext, block.rows());
        return block;
    }

    /**
     * The position of the rows confirmed in ClickHouse, not of the rows read: the writer's INSERTs of the last chunks may
     * still be running (see ClickHouseItemWriter), and a restart must read those chunks again. That count is the
     * writer's, and it must be here: a restart skips exactly the rows staged, no more (lost) and no fewer (twice).
     */
    @Override
    public Serializable checkpointInfo() {
        takeFinishedDownload();
        return new ReaderCheckpoint(slice.key(), partsCount, partSha256, context == null ? rowsDone : context.rowsStaged(),
                lease == null ? stageEpoch : lease.stageEpoch(), spoolId);
    }

    /** Closed after the writer, whose last INSERT has ended by then: only now may another execution take the slice. */
    @Override
    public void close() throws Exception {
        try {
            if (live != null && failed) {
                live.cancelAndJoin(); // aborts the read (a hostile server's body may never end), and so wakes the parse thread
                live = null;
            }
            if (blocks != null) {
                blocks.close(); // joins the parse thread; closes the rows
            } else if (rows != null) {
                rows.close();
            }
            blocks = null;
            rows = null;
        } finally {
            if (live != null) {
                // let it complete: a chunk retry or restart then reads the spool instead of downloading again; and nothing
                // writes the spool once another execution may take the slice
                live.awaitEnd();
                live = null;
            }
            if (lease != null) {
                lease.release();
                lease = null;
            }
        }
    }
}
