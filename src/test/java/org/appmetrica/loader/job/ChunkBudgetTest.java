package org.appmetrica.loader.job;

import jakarta.batch.api.BatchProperty;
import org.appmetrica.loader.model.LoadParameter;
import org.appmetrica.loader.model.Slice;
import org.appmetrica.loader.model.SliceContext;
import org.appmetrica.loader.model.SliceProperties;
import org.appmetrica.loader.testing.FakeStepContext;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A chunk ends at chunkSize rows or at chunkMegabytes of mapped rows, whichever comes first. */
class ChunkBudgetTest {

    private static final Slice SLICE = new Slice(5, "crashes", LocalDate.of(2024, 5, 1));

    private static ChunkBudget budget(FakeStepContext step, int rows, int megabytes) {
        ChunkBudget budget = new ChunkBudget();
        budget.chunkSize = Integer.toString(rows); // as JBeret injects the artifact's properties
        budget.chunkMegabytes = Integer.toString(megabytes);
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

    @Test
    void anUnsetParameterTakesItsDefault() {
        FakeStepContext step = partition();
        ChunkBudget budget = budget(step, 1, 1);
        budget.chunkSize = ""; // what the job XML passes for a parameter not given
        budget.chunkMegabytes = null;
        SliceContext context = SliceContext.of(step, SLICE);
        assertEquals(100_000, chunk(budget, context, 1));
        int megabytes = Integer.parseInt(LoadParameter.CHUNK_MEGABYTES.defaultValue());
        assertEquals(megabytes, chunk(budget, context, 1 << 20), megabytes + " MiB by default: as many rows of 1 MiB fill it");
    }

    /** Each {@code @BatchProperty} of the budget is a parameter that its element in the job XML copies from jobParameters. */
    @Test
    void theJobXmlGivesTheBudgetItsParameters() throws IOException {
        Set<String> injected = new TreeSet<>();
        for (Field f : ChunkBudget.class.getDeclaredFields()) {
            if (f.isAnnotationPresent(BatchProperty.class)) {
                assertTrue(LoadParameter.of(f.getName()).isPresent(), f.getName() + " is a load parameter");
                injected.add(f.getName());
            }
        }
        String xml = Files.readString(Path.of("batch-jobs", "appmetrica-load.xml"));
        int start = xml.indexOf("<checkpoint-algorithm ref=\"chunkBudget\">");
        assertTrue(start > 0, "chunkBudget has properties of its own");
        Matcher m = Pattern.compile("<property name=\"([^\"]+)\" value=\"#\\{jobParameters\\['([^']+)'\\]\\}\"/>")
                .matcher(xml.substring(start, xml.indexOf("</checkpoint-algorithm>", start)));
        Set<String> given = new TreeSet<>();
        while (m.find()) {
            assertEquals(m.group(1), m.group(2), "a property copies the parameter of its own name");
            given.add(m.group(1));
        }
        assertEquals(Set.of("chunkMegabytes", "chunkSize"), injected);
        assertEquals(injected, given);
    }
}
