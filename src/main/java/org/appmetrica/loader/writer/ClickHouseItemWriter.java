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
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Logger;

/**
 * Writes one chunk as one INSERT (one Native block) into the slice's staging partition; once the reader has seen the end of
 * the export, {@link SlicePublishListener} publishes the slice with an atomic partition swap.
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
    /** INSERTs still running, oldest first: at most {@code insertsInFlight} while the next chunk is read and mapped. */
    private ExecutorService inserter;
    private final Deque<Insert> inFlight = new ArrayDeque<>();
    private int insertsInFlight;

    /** One chunk's INSERT, and its rows: kept to send them again. */
    private record Insert(Future<?> future, MappedRows rows) {
    }

    /** Transient INSERT failures retried here before the chunk fails; and the pause before each attempt. */
    private InsertRetries retries;
    /** Set by close: an INSERT that fails then is beyond the checkpoint, nothing to retry. */
    private boolean closing;

    @Override
    public void open(Serializable checkpoint) {
        try {
            doOpen(checkpoint);
        } catch (RuntimeException e) {
            Failures.record(jobContext, stepContext, e);
            throw e;
        }
    }

    private void doOpen(Serializable checkpoint) {
        LoadSettings settings = SliceProperties.settings(jobContext);
        slice = SliceProperties.slice(stepContext);
        context = SliceContext.of(stepContext, slice);
        handOff = context.handOff();
        // on a cluster a replica of the slice's shard: staging, counts, trims and the publish all happen there
        connection = settings.clickhouse().connectForApplication(slice.applicationId());
        TableLayout layout = new TableLayout(FieldCatalog.get().source(slice.source()).orElseThrow());
        tables = new SliceTables(connection, settings.clickhouseDatabase(), layout, slice.applicationId(), slice.partitionDay(),
                settings.clickhouseCluster() != null);
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
            long actual = tables.stageRows();
            if (actual > rowsStaged) {
                LOG.info(slice + ": removing " + (actual - rowsStaged) + " staged rows of a chunk whose checkpoint was not committed");
                tables.trimStage(rowsStaged);
            } else if (actual < rowsStaged) {
                throw new IllegalStateException(slice + ": the staging table " + tables.stageTable() + " holds " + actual
                        + " rows of this slice, the checkpoint says " + rowsStaged + ": it was changed outside the loader. "
                        + "Start a new load of this range.");
            }
        }
        context.rowsStaged(rowsStaged);
        context.publisher(this::publish);
        insertsInFlight = settings.insertsInFlight();
        retries = InsertRetries.of(settings);
        inserter = Executors.newFixedThreadPool(insertsInFlight, r -> {
            Thread t = new Thread(r, "clickhouse-insert " + slice.key());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts this chunk's INSERT and returns once fewer than {@code insertsInFlight} earlier ones are still running, so
     * that ClickHouse ingests while the next chunk is read and mapped. The rows staged (what both checkpoints name) grow
     * only over INSERTs that ended, oldest first: after a crash the chunks past them are read again, and {@code open}
     * removes, by row position, whatever part of them reached the staging table.
     */
    @Override
    public void writeItems(List<Object> items) throws Exception {
        while (inFlight.size() >= insertsInFlight) {
            awaitOldest();
        }
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
        if (rows == null || rows.rows() == 0) {
            return;
        }
        rows.send();
        inFlight.add(send(rows));
    }

    private Insert send(MappedRows rows) {
        return new Insert(inserter.submit(() -> tables.insert(rows::writeTo)), rows);
    }

    private void awaitOldest() throws Exception {
        for (int attempt = 1; ; attempt++) {
            Insert oldest = inFlight.peek();
            try {
                oldest.future().get();
                inFlight.poll();
                oldest.rows().release();
                rowsStaged += oldest.rows().rows();
                context.rowsStaged(rowsStaged);
                return;
            } catch (ExecutionException e) {
                abandonInFlight(); // later INSERTs may land, beyond the checkpoint: trimmed by position below or on restart
                if (closing || !(e.getCause() instanceof TransientClickHouseException) || attempt > retries.maxRetries()) {
                    inFlight.forEach(insert -> insert.rows().release());
                    inFlight.clear();
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
                resend(attempt, e.getCause());
            }
        }
    }

    /**
     * Sends the INSERTs not confirmed again, in order, once whatever of them reached the staging table is removed (a
     * server may have applied an INSERT whose answer never arrived). Done here rather than by the chunk's retry, which
     * Jakarta Batch runs one item per chunk: one INSERT, and one ClickHouse part, per block of rows. If the removal fails too,
     * the oldest INSERT carries that failure into the next attempt.
     */
    private void resend(int attempt, Throwable failure) throws InterruptedException {
        LOG.warning(slice + ": an INSERT failed (" + failure.getMessage() + "); sending again, attempt " + attempt + " of "
                + retries.maxRetries() + ", in " + retries.backoff(attempt).toSeconds() + " s");
        Thread.sleep(retries.backoff(attempt).toMillis()); // the server's own time to come back: there is no signal to wait for
        List<Insert> unconfirmed = new ArrayList<>(inFlight);
        inFlight.clear();
        TransientClickHouseException trimFailure = null;
        try {
            tables.trimStage(rowsStaged);
        } catch (TransientClickHouseException e) {
            trimFailure = e;
        }
        for (int i = 0; i < unconfirmed.size(); i++) {
            Insert insert = unconfirmed.get(i);
            if (trimFailure == null) {
                inFlight.add(send(insert.rows()));
            } else {
                Future<?> unsent = i == 0 ? CompletableFuture.failedFuture(trimFailure) : CompletableFuture.completedFuture(null);
                inFlight.add(new Insert(unsent, insert.rows()));
            }
        }
    }

    /** Waits for every INSERT still running, oldest first. */
    private void awaitInserts() throws Exception {
        while (!inFlight.isEmpty()) {
            awaitOldest();
        }
    }

    /** Waits for every INSERT still running, whatever its outcome. */
    private void abandonInFlight() {
        for (Insert insert : inFlight) {
            try {
                insert.future().get();
            } catch (Exception e) {
                LOG.fine(slice + ": a later INSERT failed too: " + e.getMessage());
            }
        }
    }

    private void publish() {
        try {
            awaitInserts();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        org.appmetrica.loader.config.Timeline.mark(slice + ": last INSERT ended");
        handOff.lease().verifyHeld(); // no other execution can have touched the staging partition
        long staged = tables.stageRows();
        if (staged != rowsStaged) {
            throw new IllegalStateException(slice + ": " + staged + " rows are staged but " + rowsStaged
                    + " were written; not publishing");
        }
        tables.publish();
        org.appmetrica.loader.config.Timeline.mark(slice + ": published");
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
                awaitInserts(); // rows beyond the checkpoint: a restart removes them
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
