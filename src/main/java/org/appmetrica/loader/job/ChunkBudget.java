package org.appmetrica.loader.job;

import jakarta.batch.api.BatchProperty;
import jakarta.batch.api.chunk.CheckpointAlgorithm;
import jakarta.batch.runtime.context.StepContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.appmetrica.loader.model.LoadParameter;
import org.appmetrica.loader.model.SliceContext;
import org.appmetrica.loader.model.SliceProperties;

/**
 * Ends a chunk at {@code chunkSize} rows or once its rows mapped to {@code chunkMegabytes} of Native block, whichever
 * comes first: rows of events are a few hundred bytes, rows of crashes with their stack traces can be a hundred times
 * that, and a chunk is held in memory until its INSERT ends. Both are this artifact's properties in the job XML, copied
 * from the job parameters of the same name (checked by the launcher and the job's listener before any chunk).
 */
@Named
@Dependent
public class ChunkBudget implements CheckpointAlgorithm {

    /** The step property with its transaction timeout (job XML): each chunk sets it again from here. */
    static final String TRANSACTION_TIMEOUT = "jakarta.transaction.global.timeout";

    @Inject
    StepContext stepContext;
    @Inject
    @BatchProperty
    String chunkSize;
    @Inject
    @BatchProperty
    String chunkMegabytes;

    private SliceContext context;
    private int maxRows;
    private long maxBytes;
    private long rowsAtStart;
    private long bytesAtStart;

    @Override
    public int checkpointTimeout() {
        String seconds = stepContext.getProperties().getProperty(TRANSACTION_TIMEOUT);
        return seconds == null ? 0 : Integer.parseInt(seconds.trim()); // 0: the server's default
    }

    @Override
    public void beginCheckpoint() {
        if (context == null) {
            context = SliceContext.of(stepContext, SliceProperties.slice(stepContext));
            maxRows = LoadParameter.CHUNK_SIZE.intValue(chunkSize);
            maxBytes = LoadParameter.CHUNK_MEGABYTES.intValue(chunkMegabytes) * 1024L * 1024L;
        }
        rowsAtStart = context.mappedRows();
        bytesAtStart = context.mappedBytes();
        context.chunkRowsLeft(maxRows);
    }

    /** Called after each item (a block of rows, see RowBlock) was read and processed. */
    @Override
    public boolean isReadyToCheckpoint() {
        long rows = context.mappedRows() - rowsAtStart;
        context.chunkRowsLeft(maxRows - rows);
        return rows >= maxRows || context.mappedBytes() - bytesAtStart >= maxBytes;
    }

    @Override
    public void endCheckpoint() {
        // beginCheckpoint starts the next count
    }
}
