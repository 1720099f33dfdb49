package org.appmetrica.loader.job;

import org.appmetrica.loader.model.Slice;
import org.appmetrica.loader.model.SliceContext;
import org.appmetrica.loader.model.SliceProperties;
import org.appmetrica.loader.testing.FakeJobContext;
import org.appmetrica.loader.testing.FakeStepContext;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A chunk ends at chunkSize rows or at chunkMegabytes of mapped rows, whichever comes first. */
class ChunkBudgetTest {

    private static final Slice SLICE = new Slice(5, "crashes", LocalDate.of(2024, 5, 1));

    private static ChunkBudget budget(FakeStepContext step, int rows, int megabytes) {
        Properties job = new Properties();
        job.setProperty("applicationIds", "5");
        job.setProperty("sources", "crashes");
        job.setProperty("dateSince", "2024-05-01");
        job.setProperty("dateUntil", "2024-05-01");
        job.setProperty("clickhouseUrl", "http://127.0.0.1:18123");
        job.setProperty("chunkSize", Integer.toString(rows));
        job.setProperty("chunkMegabytes", Integer.toString(megabytes));
        ChunkBudget budget = new ChunkBudget();
        budget.jobContext = new FakeJobContext(job, 1, 1);
        budget.stepContext = step;
        return budget;
    }

    private static FakeStepContext partition() {
        Properties p = new Properties();
        p.setProperty(SliceProperties.SLICE, SLICE.key());
        return new FakeStepContext(p);
    }

    /** Items processed (each of {@code bytes}) until the budget says the chunk is full. */
    private static int chunk(ChunkBudget budget, SliceContext context, int bytes) {
        budget.beginCheckpoint();
        for (int items = 1; ; items++) {
            context.addMapped(1, bytes);
            if (budget.isReadyToCheckpoint()) {
                budget.endCheckpoint();
                return items;
            }
        }
    }

    @Test
    void narrowRowsEndTheChunkAtChunkSize() {
        FakeStepContext step = partition();
        ChunkBudget budget = budget(step, 1000, 32);
        SliceContext context = SliceContext.of(step, SLICE);
        assertEquals(1000, chunk(budget, context, 300));
        assertEquals(1000, chunk(budget, context, 300), "each chunk counts afresh");
    }

    @Test
    void wideRowsEndTheChunkAtItsMegabytes() {
        FakeStepContext step = partition();
        ChunkBudget budget = budget(step, 100_000, 1);
        SliceContext context = SliceContext.of(step, SLICE);
        assertEquals(4, chunk(budget, context, 300_000), "4 x 300 kB is the first count past 1 MiB");
        assertEquals(4, chunk(budget, context, 300_000));
        assertEquals(1, chunk(budget, context, 2_000_000), "a row wider than the budget is a chunk of its own");
    }

    @Test
    void keepsTheStepTransactionTimeout() {
        FakeStepContext step = partition();
        step.getProperties().setProperty(ChunkBudget.TRANSACTION_TIMEOUT, "2592000"); // as the job XML sets it
        assertEquals(2_592_000, budget(step, 10, 1).checkpointTimeout());
    }
}
