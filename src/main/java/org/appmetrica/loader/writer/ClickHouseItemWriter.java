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
import org.appmetrica.loader.job.ClickHouseTarget;
import org.appmetrica.loader.job.LoadSettings;
import org.appmetrica.loader.job.Slice;
import org.appmetrica.loader.job.SliceContext;
import org.appmetrica.loader.job.SliceProperties;
import org.appmetrica.loader.schema.FieldCatalog;

import java.io.Serializable;
import java.util.List;
import java.util.logging.Logger;

/**
 * Writes one chunk as one RowBinary INSERT into the slice's staging partition; once the reader has seen the end of
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
    private ClickHouseConnection connection;
    private SliceTables tables;
    private long rowsStaged;

    @Override
    public void open(Serializable checkpoint) {
        try {
            doOpen(checkpoint);
        } catch (RuntimeException e) {
            org.appmetrica.loader.job.Failures.record(jobContext, stepContext, e);
            throw e;
        }
    }

    private void doOpen(Serializable checkpoint) {
        LoadSettings settings = SliceProperties.settings(jobContext);
        slice = SliceProperties.slice(stepContext);
        context = SliceContext.of(stepContext, slice);
        connection = ClickHouseTarget.connect(settings);
        TableLayout layout = new TableLayout(FieldCatalog.get().source(slice.source()).orElseThrow());
        tables = new SliceTables(connection, settings.clickhouseDatabase(), layout, slice.applicationId(), slice.partitionDay());
        WriterCheckpoint saved = (WriterCheckpoint) checkpoint;
        if (saved == null || context.restartFromFirstRow()) {
            context.restartFromFirstRow(false);
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
    }

    @Override
    public void writeItems(List<Object> items) {
        int rows = 0;
        for (Object item : items) {
            if (((byte[]) item).length > 0) {
                rows++;
            }
        }
        if (rows == 0) {
            return;
        }
        tables.insert(out -> {
            for (Object item : items) {
                out.write((byte[]) item);
            }
        });
        rowsStaged += rows;
        context.rowsStaged(rowsStaged);
    }

    private void publish() {
        long staged = tables.stageRows();
        if (staged != rowsStaged) {
            throw new IllegalStateException(slice + ": " + staged + " rows are staged but " + rowsStaged
                    + " were written; not publishing");
        }
        tables.publish();
        LOG.info(slice + ": loaded " + rowsStaged + " rows into " + tables.targetTable());
    }

    @Override
    public Serializable checkpointInfo() {
        return new WriterCheckpoint(slice.key(), rowsStaged);
    }

    @Override
    public void close() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }
}
