package org.appmetrica.loader.writer;

import jakarta.batch.api.chunk.AbstractItemWriter;
import jakarta.batch.runtime.context.JobContext;
import jakarta.batch.runtime.context.StepContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.appmetrica.loader.clickhouse.ClickHouseConnection;
import org.appmetrica.loader.clickhouse.SliceTables;
import org.appmetrica.loader.clickhouse.TableLayout;
import org.appmetrica.loader.clickhouse.TransientClickHouseException;
import org.appmetrica.loader.clickhouse.ClickHouseTarget;
import org.appmetrica.loader.config.Timeline;
import org.appmetrica.loader.metrics.Failures;
import org.appmetrica.loader.model.LoadSettings;
import org.appmetrica.loader.model.RowMetrics;
import org.appmetrica.loader.model.Slice;
import org.appmetrica.loader.model.SliceContext;
import org.appmetrica.loader.model.SliceHandOff;
import org.appmetrica.loader.model.SliceProperties;
import org.appmetrica.loader.processor.MappedRows;
import org.appmetrica.loader.schema.FieldCatalog;

import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Logger;

/**
 * Streams chunks, each one Native block, into INSERTs of many chunks into the slice's staging partition; once the
 * reader has seen the end of the export, {@link SlicePublishListener} publishes the slice with an atomic partition swap.
 * <p>Exactly once: ClickHouse is not part of the chunk transaction, so a chunk can reach the staging table while its
 * checkpoint is lost (a crash between the two, or a retry). {@code open} therefore compares the staged row count with
 * the checkpoint and deletes the surplus by row position before anything else is written. Fresh starts empty the
 * staging partition. Publishing checks the staged count against the rows written.
 */
@Named
@Dependent
public class ClickHouseItemWriter extends AbstractItemWriter {

    private static final Logger LOG = Logger.getLogger("org.appmetrica.loader.progress");

    @Inject
    JobContext jobContext;
    @Inject
    StepContext stepContext;

    private Slice slice;
    private SliceContext context;
    /** The reader's word on the slice: its lease, and whether the staging partition must be emptied. */
    private SliceHandOff handOff;
    private ClickHouseConnection connection;
    private SliceTables tables;
    /** Rows known to be in the staging partition: the position both checkpoints report. */
    private long rowsStaged;
    private String stageEpoch;
    /** The slice's INSERTs, oldest first: those ending (see InsertSizes#awaitBeforeNext), and the newest taking chunks. */
    private final Deque<StreamedInsert> inserts = new ArrayDeque<>();
    private ExecutorService inserter;
    /** Chunks handed to an INSERT and not yet written to its body, at most; each holds its buffer. */
    private int insertsInFlight;
    private InsertSizes insertSizes;

    /** The pause after a transient INSERT failure before the job's retry; failures in a row, reset by an INSERT that ended. */
    private InsertRetries retries;
    private int consecutiveFailures;
    /** Set by close: an INSERT that fails then is beyond the checkpoint, nothing to retry. */
    private boolean closing;

    @Override
    public void open(Serializable checkpoint) throws InterruptedException {
        try {
            doOpen(checkpoint);
        } catch (RuntimeException e) {
            Failures.record(jobContext, stepContext, e);
            throw e;
        }
    }

    private void doOpen(Serializable checkpoint) throws InterruptedException {
        LoadSettings settings = SliceProperties.settings(jobContext);
        slice = SliceProperties.slice(stepContext);
        context = SliceContext.of(stepContext, slice);
        handOff = context.handOff();
        // on a cluster a replica of the slice's shard: staging, counts, trims and the publish all happen there
        connection = settings.clickhouse().connectForApplication(slice.applicationId());
        TableLayout layout = new TableLayout(FieldCatalog.get().source(slice.source()).orElseThrow());
        tables = new SliceTables(connection, settings.clickhouseDatabase(), layout, slice.applicationId(), slice.partitionDay(),
                settings.clickhouseCluster() != null);
        retries = InsertRetries.of(settings); // the trim below waits for a server that is away as INSERTs do
        WriterCheckpoint saved = (WriterCheckpoint) checkpoint;
        if (handOff.lease() == null || context.published()) {
            // The reader stopped while another execution held the slice, or the slice was published before a crash:
            // touch nothing, keep the checkpoint as it is.
            rowsStaged = saved == null ? 0 : saved.rowsStaged();
            stageEpoch = saved == null ? null : saved.stageEpoch();
        } else if (saved == null || handOff.fromFirstRow()) {
            handOff.lease().renewStageEpoch(); // first: a crash before the next checkpoint leaves no checkpoint trusted
            tables.resetStage();
            rowsStaged = 0;
        } else {
            rowsStaged = saved.rowsStaged();
            trimToCheckpoint();
        }
        context.rowsStaged(rowsStaged);
        context.publisher(this::publish);
        insertsInFlight = settings.insertsInFlight();
        insertSizes = new InsertSizes(settings.insertRows(), settings.insertMegabytes() * 1024L * 1024L);
        closing = false;
        inserter = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "clickhouse-insert " + slice.key());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Removes staged rows past the checkpoint: the rows of INSERTs whose checkpoint was not committed, or whose answer was
     * lost. Opened again after a transient INSERT failure, the server may still be away: waits for it as the INSERTs do.
     */
    private void trimToCheckpoint() throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                long actual = tables.stageRows();
                if (actual > rowsStaged) {
                    LOG.info(slice + ": removing " + (actual - rowsStaged)
                            + " staged rows past the checkpoint (an INSERT not confirmed)");
                    if (rowsStaged == 0) {
                        tables.resetStage(); // the first INSERT did not end: no mutation (18.16 leaves an empty part)
                    } else {
                        tables.trimStage(rowsStaged);
                    }
                } else if (actual < rowsStaged) {
                    throw new IllegalStateException(slice + ": the staging table " + tables.stageTable() + " holds " + actual
                            + " rows of this slice, the checkpoint says " + rowsStaged + ": it was changed outside the loader. "
                            + "Start a new load of this range.");
                }
                return;
            } catch (TransientClickHouseException e) {
                if (attempt > retries.maxRetries()) {
                    throw e;
                }
                LOG.warning(slice + ": ClickHouse failed (" + e.getMessage() + "); trying again in "
                        + retries.backoff(attempt).toSeconds() + " s, attempt " + attempt + " of " + retries.maxRetries());
                Thread.sleep(retries.backoff(attempt).toMillis());
            }
        }
    }

    /**
     * Hands this chunk's bytes to the slice's open INSERT (one starts when none is open) and returns once fewer than
     * {@code insertsInFlight} handed chunks are still to be written, so that the next chunk is read and mapped while
     * this one goes to the socket. An INSERT ends before it would pass {@code insertRows} rows (by default the server's
     * {@code max_insert_block_size}: one block, one part per INSERT, as clickhouse-client sends) or {@code insertMegabytes}
     * of Native blocks (the server holds the block, about 4 times that, until it writes the part; wide rows end INSERTs
     * here), earlier as the export's end nears so that the last INSERT is small (see InsertSizes), at the slice's end, at a
     * stop, and after a pause (see StreamedInsert). The rows staged (what both
     * checkpoints name) grow only over INSERTs that ended, oldest first: after a failure or a crash the rows past them
     * are read again from the spool, and {@code open} removes, by row position, whatever of them reached the staging
     * table.
     */
    @Override
    public void writeItems(List<Object> items) throws Exception {
        MappedRows rows = null;
        for (Object item : items) {
            if (item instanceof MappedRows m && m != rows) {
                if (rows != null) {
                    throw new IllegalStateException(slice + ": the items of one chunk name two buffers of rows");
                }
                rows = m;
            }
        }
        RowMetrics.written(stepContext, rows == null ? 0 : rows.rows(), items.size());
        confirmEnded();
        if (rows == null || rows.rows() == 0) {
            endAll(); // a stop's or the export's end marker: the checkpoint that follows names every row sent
            return;
        }
        StreamedInsert open = inserts.peekLast();
        long rowsLeft = context.exportRowsLeft();
        if (open != null && insertSizes.endsBefore(open.rows(), open.bytes(), rows.rows(), rows.bytes(), rowsLeft)) {
            open.finish(); // its answer is awaited while the next one streams
        }
        for (StreamedInsert insert : inserts) {
            insert.awaitUnsentBelow(insert == inserts.peekLast() ? insertsInFlight : 1);
            insert.takeWritten().forEach(MappedRows::release);
        }
        rows.send();
        if (open == null || !open.hand(rows)) {
            while (open != null && !inserts.isEmpty() && insertSizes.awaitBeforeNext(awaitedBytes(), open.rows(), open.bytes(),
                    rowsLeft < 0 ? -1 : rowsLeft + rows.rows())) {
                endOldest();
            }
            inserts.add(new StreamedInsert(inserter, tables, rows));
        }
        if (context.readerExhausted()) {
            Timeline.mark(slice + ": last chunk handed");
            endAll(); // here, not in the publish: the runtime retries a failure of writeItems, not one of a chunk listener
        }
    }

    /** Bytes of the INSERTs whose answer is awaited. */
    private long awaitedBytes() {
        long bytes = 0;
        for (StreamedInsert insert : inserts) {
            bytes += insert.bytes();
        }
        return bytes;
    }

    /** Takes the answers of the INSERTs that have returned, oldest first, without waiting. */
    private void confirmEnded() throws Exception {
        while (!inserts.isEmpty() && inserts.peekFirst().done()) {
            endOldest();
        }
    }

    /** Ends every INSERT and waits for their answers, oldest first: the server writes their parts at once. */
    private void endAll() throws Exception {
        inserts.forEach(StreamedInsert::finish);
        while (!inserts.isEmpty()) {
            endOldest();
        }
    }

    /**
     * Ends the oldest INSERT and takes its answer. After a failure the bytes are gone: the later INSERTs are ended too
     * (their rows are past the checkpoint), and the failure goes to the chunk. A transient one is retried by the job
     * (see appmetrica-load.xml): the chunk is rolled back, the reader reads again from the checkpoint (from its spool) and
     * {@code open} removes the rows past it, which a server may have applied although its answer never arrived.
     */
    private void endOldest() throws Exception {
        StreamedInsert oldest = inserts.poll();
        try {
            long rows = oldest.end();
            rowsStaged += rows;
            Timeline.mark(slice + ": an INSERT of " + rows + " rows ended");
            context.rowsStaged(rowsStaged);
            consecutiveFailures = 0;
        } catch (Exception e) {
            abandonInserts();
            if (!closing && e instanceof TransientClickHouseException && ++consecutiveFailures <= retries.maxRetries()) {
                LOG.warning(slice + ": an INSERT failed (" + e.getMessage() + "); reading its rows again from row " + rowsStaged
                        + " in " + retries.backoff(consecutiveFailures).toSeconds() + " s, attempt " + consecutiveFailures
                        + " of " + retries.maxRetries());
                // the server's own time to come back: there is no signal to wait for
                Thread.sleep(retries.backoff(consecutiveFailures).toMillis());
            }
            throw e;
        }
    }

    /** Ends the INSERTs still open, whatever their outcome: their rows are past the checkpoint. */
    private void abandonInserts() {
        while (!inserts.isEmpty()) {
            try {
                inserts.poll().end();
            } catch (Exception e) {
                LOG.fine(slice + ": a later INSERT failed too: " + e.getMessage());
            }
        }
    }

    private void publish() {
        try {
            endAll();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        Timeline.mark(slice + ": last INSERT ended");
        handOff.lease().verifyHeld(); // no other execution can have touched the staging partition
        long staged = tables.stageRows();
        Timeline.mark(slice + ": staged rows counted");
        if (staged != rowsStaged) {
            throw new IllegalStateException(slice + ": " + staged + " rows are staged but " + rowsStaged
                    + " were written; not publishing");
        }
        tables.publish();
        Timeline.mark(slice + ": published");
        LOG.info(slice + ": loaded " + rowsStaged + " rows into " + tables.targetTable());
    }

    @Override
    public Serializable checkpointInfo() {
        return new WriterCheckpoint(slice.key(), rowsStaged, handOff.lease() == null ? stageEpoch : handOff.lease().stageEpoch());
    }

    @Override
    public void close() {
        closing = true;
        if (inserter != null) {
            try {
                endAll(); // rows beyond the checkpoint: a restart removes them
            } catch (Exception e) {
                LOG.fine(slice + ": the last INSERT failed while closing: " + e.getMessage());
            }
            inserter.shutdownNow();
            inserter = null;
        }
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }
}
